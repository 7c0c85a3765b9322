import { SpliceError } from '../errors/SpliceError.js';

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
