import type { VariableDefinition } from '../definition/types.js';

/**
 * Every required variable without a value in `values`, in definition order. The empty string
 * counts as missing for a required variable (an empty form field is not an answer). Use it to
 * report all missing keys in one `VARIABLE_MISSING` error (see `variableMissing`).
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
