import type { InstanceRecord } from '@splice/core';
import type { InstanceRepository } from './InstanceRepository.js';

/**
 * Moves an instance to `reauthorization_required` with compare-and-set, so that of many failing
 * calls (or processes) exactly one makes the transition (`changed: true`) and fires the event.
 * Resolves to the record as stored afterwards.
 *
 * @example
 * ```ts
 * const { record, changed } = await markReauthorizationRequired(repository, id, Date.now);
 * if (changed) events.emit('reauthorizationRequired', toInstance(record, keys), error);
 * ```
 */
export async function markReauthorizationRequired(
  repository: InstanceRepository,
  instanceId: string,
  now: () => number,
): Promise<{ readonly record: InstanceRecord; readonly changed: boolean }> {
  const changed = await repository.transition(instanceId, (current) =>
    current.status === 'reauthorization_required'
      ? undefined
      : {
          ...current,
          status: 'reauthorization_required',
          updatedAt: new Date(now()).toISOString(),
        },
  );
  if (changed !== undefined) return { record: changed, changed: true };
  return { record: await repository.record(instanceId), changed: false };
}
