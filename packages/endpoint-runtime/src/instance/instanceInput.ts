import {
  invalidArgument,
  missingRequired,
  type RateLimit,
  SpliceError,
  variableMissing,
} from '@splice/core';
import type { CompiledConnector, CompiledMethod } from '../connector/CompiledConnector.js';

const UNITS = new Set(['second', 'minute', 'hour', 'day']);

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

/**
 * Checks an instance's own rate limit: `{ amount: positive integer, unit }`.
 *
 * @example
 * ```ts
 * checkRateLimit({ amount: 5, unit: 'second' });
 * ```
 */
export function checkRateLimit(rateLimit: unknown): RateLimit | undefined {
  if (rateLimit === undefined) return undefined;
  const { amount, unit } = (rateLimit ?? {}) as { amount?: unknown; unit?: unknown };
  if (
    typeof amount !== 'number' ||
    !Number.isInteger(amount) ||
    amount < 1 ||
    typeof unit !== 'string' ||
    !UNITS.has(unit)
  ) {
    throw invalidArgument(
      '"rateLimit" must be { amount: a whole number >= 1, unit: "second" | "minute" | "hour" | "day" }',
    );
  }
  return { amount, unit: unit as RateLimit['unit'] };
}
