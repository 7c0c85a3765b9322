import { missingRequired, variableMissing } from '@splice/core';
import type { CompiledConnector, CompiledMethod } from '../connector/CompiledConnector.js';

/**
 * Throws one `VARIABLE_MISSING` naming every required connector or auth variable that has neither
 * a value nor a default (`details.keys`).
 *
 * @example
 * ```ts
 * checkRequired(connector, method, { ...method.defaults, ...entered });
 * ```
 */
export function checkRequired(
  connector: CompiledConnector,
  method: CompiledMethod,
  values: Readonly<Record<string, string>>,
): void {
  const missing = missingRequired(method.variables, values);
  if (missing.length === 0) return;
  throw variableMissing(
    missing,
    `auth method "${method.definition.id}" of connector "${connector.definition.id}"`,
    { connectorId: connector.definition.id, authMethodId: method.definition.id },
  );
}
