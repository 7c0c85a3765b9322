import { type AuthContext, SpliceError } from '@splice/core';

/**
 * The `VARIABLE_INVALID` error of a malformed auth variable: names the variable and the problem,
 * never the value (it may be a secret).
 *
 * @example
 * ```ts
 * throw invalidVariable(ctx, 'username', 'must not contain ":" (RFC 7617 §2).');
 * ```
 */
export function invalidVariable(ctx: AuthContext, key: string, problem: string): SpliceError {
  return new SpliceError(
    'VARIABLE_INVALID',
    `Auth variable "${key}" of method "${ctx.method.id}" ${problem}`,
    { details: { key, connectorId: ctx.connector.id, authMethodId: ctx.method.id } },
  );
}
