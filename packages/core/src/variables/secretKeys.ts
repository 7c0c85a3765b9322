import { CREDENTIAL_KEYS, type VariableDefinition } from '../definition/types.js';

/**
 * The keys whose values must never be shown, logged or put in an error: every variable marked
 * `secret` in any of `lists`, plus the credential keys (`access_token`, `refresh_token`,
 * `token_type`). Feed it to `redactValues` before values leave Splice.
 *
 * @example
 * ```ts
 * const secrets = secretKeys(connector.variables, method.variables);
 * redactValues(instance.variables, secrets); // { client_id: 'a', client_secret: '[redacted]' }
 * ```
 */
export function secretKeys(...lists: readonly (readonly VariableDefinition[])[]): Set<string> {
  const keys = new Set<string>(CREDENTIAL_KEYS);
  for (const list of lists) {
    for (const variable of list) if (variable.secret) keys.add(variable.key);
  }
  return keys;
}
