import { type AuthContext, variableMissing } from '@splice/core';

/**
 * The values of `keys`, or one `VARIABLE_MISSING` listing every key without a value (an empty
 * string counts as none), so a user fixes them all at once. The runtime checks the `required`
 * flags before a strategy runs; this guards the values a step cannot do without whatever a
 * definition flagged.
 *
 * @example
 * ```ts
 * const { username, password } = requireValues(ctx, ['username', 'password']);
 * ```
 */
export function requireValues<K extends string>(
  ctx: AuthContext,
  keys: readonly K[],
): Record<K, string> {
  // Blank counts as missing, as in the OAuth 2 strategies: "   " is no password.
  const missing = keys.filter((key) => (ctx.values[key] ?? '').trim() === '');
  if (missing.length > 0) {
    throw variableMissing(missing, `auth method "${ctx.method.id}"`, {
      connectorId: ctx.connector.id,
      authMethodId: ctx.method.id,
    });
  }
  return Object.fromEntries(keys.map((key) => [key, ctx.values[key]!])) as Record<K, string>;
}
