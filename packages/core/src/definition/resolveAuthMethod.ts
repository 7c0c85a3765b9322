import type { AuthStrategy } from '../strategy/AuthStrategy.js';
import { mergeVariables } from './mergeVariables.js';
import type { AuthMethodDefinition, ResolvedAuthMethod } from './types.js';

/**
 * An auth method with its strategy's locked default variables merged in ({@link mergeVariables}):
 * the one place a definition meets its strategy's defaults. The runtime's catalog resolves each
 * method once; `parseConnector` resolves to run the strategy's checks and returns the method as
 * written.
 *
 * @example
 * ```ts
 * resolveAuthMethod(definition.authMethods[0], oauth2AuthorizationCode()).variables
 *   .find((v) => v.key === 'client_secret')?.required; // true
 * ```
 */
export function resolveAuthMethod(
  method: AuthMethodDefinition,
  strategy: Pick<AuthStrategy, 'variables'>,
): ResolvedAuthMethod {
  return { ...method, variables: mergeVariables(strategy.variables, method.variables) };
}
