import type { Instance, InstanceRecord } from '@splice/core';
import { redactValues } from '@splice/core';

/**
 * The public, serializable view of a stored instance: secret variable values read
 * `"[redacted]"`; credentials are never part of it.
 *
 * @example
 * ```ts
 * JSON.stringify(toInstance(record, method.secretKeys)); // no secret inside
 * ```
 */
export function toInstance(record: InstanceRecord, secretKeys: ReadonlySet<string>): Instance {
  const instance: Instance = {
    id: record.id,
    name: record.name,
    connectorId: record.connectorId,
    authMethodId: record.authMethodId,
    status: record.status,
    variables: Object.freeze(redactValues(record.variables, secretKeys)),
    ...(record.rateLimit === undefined ? {} : { rateLimit: { ...record.rateLimit } }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  return Object.freeze(instance);
}
