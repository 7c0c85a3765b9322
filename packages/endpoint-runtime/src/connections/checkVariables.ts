import { invalidArgument, SpliceError } from '@splice/core';
import type { CompiledConnector, CompiledMethod } from '../catalog/CompiledConnector.js';

/**
 * Checks the variables a user entered for an instance: an object of strings whose keys are
 * connector or auth variables of the method. Returns a clean copy.
 *
 * @example
 * ```ts
 * checkVariables(connector, method, { client_id: 'abc' });
 * ```
 */
export function checkVariables(
  connector: CompiledConnector,
  method: CompiledMethod,
  variables: unknown,
): Record<string, string> {
  if (variables === undefined) return {};
  if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
    throw invalidArgument('"variables" must be an object of strings');
  }
  const out: Record<string, string> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(variables)) {
    if (typeof value !== 'string') {
      throw invalidArgument(`"variables.${key}" must be a string, got ${typeof value}`);
    }
    if (!method.variableKeys.has(key)) unknown.push(key);
    out[key] = value;
  }
  if (unknown.length > 0) {
    throw new SpliceError(
      'VARIABLE_INVALID',
      `Connector "${connector.definition.id}" auth method "${method.definition.id}" has no variable ${unknown.map((k) => `"${k}"`).join(', ')} (known: ${[...method.variableKeys].join(', ')}). Check the keys.`,
      {
        details: {
          connectorId: connector.definition.id,
          authMethodId: method.definition.id,
          unknown,
        },
      },
    );
  }
  return out;
}
