import {
  type InstanceRecord,
  invalidArgument,
  resolveValues,
  SpliceError,
  variableNotSettable,
} from '@splice/core';
import type { CompiledConnector, CompiledMethod } from '../catalog/CompiledConnector.js';

/**
 * Checks the variables a user entered for an instance: an object of strings whose keys are
 * connector or auth variables of the method (else `VARIABLE_INVALID` listing the unknown keys).
 * With `renewed` (the record of an instance whose consent is renewed), a variable in the host of
 * the method's or its endpoints' URLs (`method.originKeys`) may not change: the origin of an
 * instance's requests is fixed when it is added (`VARIABLE_INVALID`, `details.reason` `origin`).
 * Returns a clean copy.
 *
 * @example
 * ```ts
 * checkVariables(connector, method, { client_id: 'abc' });
 * checkVariables(connector, method, { shop: 'other' }, record); // throws VARIABLE_INVALID
 * ```
 */
export function checkVariables(
  connector: CompiledConnector,
  method: CompiledMethod,
  variables: unknown,
  renewed?: InstanceRecord,
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
  if (renewed !== undefined && method.originKeys.size > 0) {
    const saved = resolveValues(method.variables, renewed.variables);
    for (const key in out) {
      if (method.originKeys.has(key) && out[key] !== saved[key]) {
        throw variableNotSettable(key, 'origin', `when renewing instance "${renewed.id}"`, {
          connectorId: connector.definition.id,
          authMethodId: method.definition.id,
          instanceId: renewed.id,
        });
      }
    }
  }
  return out;
}
