import { requiredVariableKeys } from '@splice/core';
import type { CompiledConnector, CompiledMethod } from './CompiledConnector.js';

/**
 * The keys that must have a value for an instance of `method`, given `values` (entered values
 * over definition defaults): core's `requiredVariableKeys` with the method's strategy — the
 * strategy's rule first (e.g. no `client_secret` for a public OAuth 2 client), else the variables
 * flagged `required`. Behind the runtime's check and `runtime.requiredVariables()`.
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
  return requiredVariableKeys(
    connector.definition.variables,
    method.definition,
    method.strategy,
    values,
  );
}
