import type { Instance, InstanceRecord } from '@splice/core';
import { redactValues } from '@splice/core';

/**
 * The public, serializable view of a stored instance: secret variable and captured values read
 * `"[redacted]"`; credentials, and the values a pending choice would capture, are never part of it.
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
    ...(record.captured === undefined
      ? {}
      : { captured: Object.freeze(redactValues(record.captured, secretKeys)) }),
    // The choices without the values each would capture (they may be secret).
    ...(record.pendingChoice === undefined
      ? {}
      : {
          pendingChoice: Object.freeze({
            stepId: record.pendingChoice.stepId,
            choices: Object.freeze(
              record.pendingChoice.choices.map(({ id, label }) => Object.freeze({ id, label })),
            ),
          }),
        }),
    ...(record.rateLimit === undefined ? {} : { rateLimit: { ...record.rateLimit } }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  return Object.freeze(instance);
}
