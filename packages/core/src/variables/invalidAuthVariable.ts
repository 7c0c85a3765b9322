import { SpliceError } from '../errors/SpliceError.js';
import type { AuthContext } from '../strategy/AuthStrategy.js';

/**
 * The `VARIABLE_INVALID` error of a malformed auth variable, thrown by strategies when they read
 * their settings: names the variable, the method and the problem, never the value (it may be a
 * secret). Details: `key`, `connectorId`, `authMethodId`.
 *
 * @example
 * ```ts
 * throw invalidAuthVariable(ctx, 'username', 'must not contain ":" (RFC 7617 §2).');
 * ```
 */
export function invalidAuthVariable(ctx: AuthContext, key: string, problem: string): SpliceError {
  return new SpliceError(
    'VARIABLE_INVALID',
    `Auth variable "${key}" of method "${ctx.method.id}" ${problem}`,
    { details: { key, connectorId: ctx.connector.id, authMethodId: ctx.method.id } },
  );
}
