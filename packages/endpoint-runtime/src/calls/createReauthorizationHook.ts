import { SpliceError } from '@splice/core';
import type { InstanceRepository } from '../connections/InstanceRepository.js';
import { markReauthorizationRequired } from '../connections/markReauthorizationRequired.js';
import { toInstance } from '../connections/toInstance.js';
import type { RuntimeEventEmitter } from '../events/RuntimeEvents.js';
import type { ReauthorizationHook } from './callEndpoint.js';

/**
 * What a dead grant does to an instance: the record moves to `reauthorization_required` with
 * compare-and-set (exactly one of many failing calls or processes makes the transition), the
 * session takes the stored record, and the `reauthorizationRequired` event fires once. The caller
 * gets its error even when the store cannot record the transition (that is logged).
 *
 * @example
 * ```ts
 * const hook = createReauthorizationHook(repository, events);
 * await callEndpoint(session, 'list-orders', input, telemetry, hook);
 * ```
 */
export function createReauthorizationHook(
  repository: InstanceRepository,
  events: RuntimeEventEmitter,
): ReauthorizationHook {
  return async (session, error) => {
    const { logger, now } = session.context;
    const instanceId = session.record.id;
    try {
      const { record, changed } = await markReauthorizationRequired(repository, instanceId, now);
      session.update(record);
      if (!changed) return;
      logger.warn('Instance needs re-authorization', {
        instanceId,
        connectorId: record.connectorId,
      });
      events.emit('reauthorizationRequired', toInstance(record, session.method.secretKeys), error);
    } catch (failure) {
      const code = SpliceError.is(failure) ? failure.code : 'error';
      logger.error('Could not mark the instance as needing re-authorization', { instanceId, code });
    }
  };
}
