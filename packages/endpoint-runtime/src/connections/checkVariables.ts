import {
  type InstanceRecord,
  invalidArgument,
  resolveValues,
  SpliceError,
  unknownKeysHint,
  variableNotSettable,
} from '@splice/core';
import type { CompiledConnector, CompiledMethod } from '../catalog/CompiledConnector.js';

/**
 * Checks the variables a user entered for an instance: an object of strings whose keys are
 * connector or auth variables of the method (else `VARIABLE_INVALID` listing the unknown keys,
 * the keys the caller may set here — `details.settable`: the method's variables less `fixed`, those
 * for a user before the advanced ones — and, per unknown key, the settable key it most likely
 * meant — `details.suggestions`; worded by core's `unknownKeysHint`).
 * With `renewed` (the record of an instance whose consent is renewed), a variable in the host of
 * the method's or its endpoints' URLs (`method.originKeys`) may not change: the origin of an
 * instance's requests is fixed when it is added (`VARIABLE_INVALID`, `details.reason` `origin`);
 * those keys are never offered as settable there. `fixed` names more keys the caller cannot
 * change (an update's read-only keys), which are accepted here and judged by the caller.
 * Returns a clean copy.
 *
 * @example
 * ```ts
 * checkVariables(connector, method, { client_id: 'abc' });
 * checkVariables(connector, method, { acount: 'eu' }); // throws VARIABLE_INVALID: did you mean "account"?
 * checkVariables(connector, method, { shop: 'other' }, { renewed: record }); // throws VARIABLE_INVALID
 * ```
 */
export function checkVariables(
  connector: CompiledConnector,
  method: CompiledMethod,
  variables: unknown,
  at: { readonly renewed?: InstanceRecord; readonly fixed?: ReadonlySet<string> } = {},
): Record<string, string> {
  const { renewed, fixed } = at;
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
    // Only keys the caller may set here are offered, so a suggestion never leads to a refusal.
    const hint = unknownKeysHint(
      unknown,
      method.variables.filter(
        ({ key }) =>
          fixed?.has(key) !== true && !(renewed !== undefined && method.originKeys.has(key)),
      ),
    );
    const allowed =
      hint.listed === undefined
        ? 'it has no variable you can set here'
        : `variables you can set here: ${hint.listed}`;
    throw new SpliceError(
      'VARIABLE_INVALID',
      `Connector "${connector.definition.id}" auth method "${method.definition.id}" has no variable ${hint.named} (${allowed}). Check the keys.`,
      {
        details: {
          connectorId: connector.definition.id,
          authMethodId: method.definition.id,
          unknown,
          settable: hint.settable,
          suggestions: hint.suggestions,
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
