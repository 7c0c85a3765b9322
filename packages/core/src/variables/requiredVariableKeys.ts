import type { ResolvedAuthMethod, VariableDefinition } from '../definition/types.js';
import type { AuthStrategy } from '../strategy/AuthStrategy.js';

/**
 * The keys that must have a value for an instance of `method`, given `values` (entered values
 * over definition defaults): the connector's variables flagged `required`, then the auth
 * variables the strategy requires for those values — its `requiredKeys` rule when it has one
 * (OAuth 2: no `client_secret` for a public client, `token_endpoint_auth_method: none`), which is
 * asked before any `required` flag and wins over it; else the auth variables flagged `required`.
 * The one rule behind the runtime's check, `runtime.requiredVariables()`, the dashboard's form
 * and `splice validate`.
 *
 * @example
 * ```ts
 * requiredVariableKeys(connector.variables, method, strategy, { token_endpoint_auth_method: 'none' });
 * // ['account', 'client_id']
 * ```
 */
export function requiredVariableKeys(
  connectorVariables: readonly VariableDefinition[],
  method: ResolvedAuthMethod,
  strategy: Pick<AuthStrategy, 'requiredKeys'> | undefined,
  values: Readonly<Record<string, string>>,
): string[] {
  const keys = connectorVariables.filter((v) => v.required).map((v) => v.key);
  const auth =
    strategy?.requiredKeys?.(method, values) ??
    method.variables.filter((v) => v.required).map((v) => v.key);
  for (const key of auth) if (!keys.includes(key)) keys.push(key);
  return keys;
}
