import { invalidArgument } from '@splice/core';

/**
 * The instance id of what a caller passed: an id, or an `Instance` object; a coded `TypeError`
 * (`INVALID_ARGUMENT`) otherwise.
 *
 * @example
 * ```ts
 * instanceIdOf(instance); // instance.id
 * ```
 */
export function instanceIdOf(instanceOrId: unknown): string {
  if (typeof instanceOrId === 'string' && instanceOrId !== '') return instanceOrId;
  const id = (instanceOrId as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && id !== '') return id;
  throw invalidArgument('"instance" must be an instance id or an Instance object');
}
