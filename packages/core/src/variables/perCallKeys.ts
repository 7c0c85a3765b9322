import type { VariableDefinition } from '../definition/types.js';
import { perCallRefusal } from './perCallRefusal.js';

/**
 * The keys a call's input may set for one endpoint of one instance, as {@link perCallRefusal}
 * decides: computed once per endpoint, so checking a call is one set lookup per key it passes.
 *
 * @example
 * ```ts
 * perCallKeys(endpoint.variables, [...connector.variables, ...method.variables], url.hostKeys);
 * // Set { 'status', 'page' }
 * ```
 */
export function perCallKeys(
  endpointVariables: readonly VariableDefinition[],
  instanceVariables: readonly VariableDefinition[],
  hostKeys: readonly string[] = [],
): Set<string> {
  const keys = new Set<string>();
  for (const { key } of [...endpointVariables, ...instanceVariables]) {
    if (perCallRefusal(key, endpointVariables, instanceVariables, hostKeys) === undefined) {
      keys.add(key);
    }
  }
  return keys;
}
