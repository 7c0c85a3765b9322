import type { CompiledConnector, CompiledMethod } from './CompiledConnector.js';

/**
 * The keys that must have a value for an instance of `method`, given `values` (entered values
 * over definition defaults): the connector's required variables, then the auth variables the
 * strategy requires for those values (`requiredKeys`, e.g. no `client_secret` for a public OAuth 2
 * client), else the ones flagged `required`. The one rule behind the runtime's check and
 * `runtime.requiredVariables()`.
 *
 * @example
 * ```ts
 * requiredKeys(connector, method, { token_endpoint_auth_method: 'none' }); // ['account', 'client_id']
 * ```
 */
export function requiredKeys(
  connector: CompiledConnector,
  method: CompiledMethod,
  values: Readonly<Record<string, string>>,
): string[] {
  const keys = connector.definition.variables.filter((v) => v.required).map((v) => v.key);
  const auth =
    method.strategy.requiredKeys?.(method.definition, values) ??
    method.definition.variables.filter((v) => v.required).map((v) => v.key);
  for (const key of auth) if (!keys.includes(key)) keys.push(key);
  return keys;
}
