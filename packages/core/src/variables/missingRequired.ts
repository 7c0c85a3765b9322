import type { VariableDefinition } from '../definition/types.js';
import { SpliceError } from '../errors/SpliceError.js';

/**
 * Every required variable without a value in `values`, in definition order. The empty string
 * counts as missing for a required variable (an empty form field is not an answer). Use it to
 * report all missing keys in one `VARIABLE_MISSING` error (see {@link variableMissing}).
 *
 * @example
 * ```ts
 * missingRequired(method.variables, resolveValues(method.variables, input)); // ['client_id']
 * ```
 */
export function missingRequired(
  definitions: readonly VariableDefinition[],
  values: Readonly<Record<string, string | undefined>>,
): string[] {
  const missing: string[] = [];
  for (const variable of definitions) {
    if (!variable.required) continue;
    const value = Object.hasOwn(values, variable.key) ? values[variable.key] : undefined;
    if ((value === undefined || value === '') && !missing.includes(variable.key)) {
      missing.push(variable.key);
    }
  }
  return missing;
}

/**
 * The `VARIABLE_MISSING` error for the keys {@link missingRequired} returned: one message that
 * names every key and `where` they were needed, `details.keys` with the list.
 *
 * @example
 * ```ts
 * const missing = missingRequired(variables, values);
 * if (missing.length > 0) throw variableMissing(missing, 'auth method "acme-oauth"');
 * ```
 */
export function variableMissing(
  keys: readonly string[],
  where: string,
  details: Readonly<Record<string, unknown>> = {},
): SpliceError {
  const list = keys.map((k) => `"${k}"`).join(', ');
  const noun = keys.length === 1 ? 'variable' : 'variables';
  return new SpliceError(
    'VARIABLE_MISSING',
    `Required ${noun} ${list} of ${where} ${keys.length === 1 ? 'has' : 'have'} no value: pass ${keys.length === 1 ? 'it' : 'them'} as variables, save ${keys.length === 1 ? 'it' : 'them'} on the instance, or give a default in the definition.`,
    { details: { ...details, keys: [...keys] } },
  );
}
