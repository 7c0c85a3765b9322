import { variableMissing } from '@splice/core';
import type { CompiledConnector, CompiledMethod } from '../catalog/CompiledConnector.js';
import { requiredKeys } from '../catalog/requiredKeys.js';

/**
 * Throws one `VARIABLE_MISSING` naming every required connector or auth variable (as
 * `requiredKeys` decides) that has no value in `values` — resolved values, defaults included; an
 * empty string is no answer (`details.keys`).
 *
 * @example
 * ```ts
 * checkRequired(connector, method, context.values);
 * ```
 */
export function checkRequired(
  connector: CompiledConnector,
  method: CompiledMethod,
  values: Readonly<Record<string, string>>,
): void {
  const missing = requiredKeys(connector, method, values).filter(
    (key) => !Object.hasOwn(values, key) || values[key] === '',
  );
  if (missing.length === 0) return;
  throw variableMissing(
    missing,
    `auth method "${method.definition.id}" of connector "${connector.definition.id}"`,
    { connectorId: connector.definition.id, authMethodId: method.definition.id },
  );
}
