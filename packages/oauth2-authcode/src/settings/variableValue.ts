import type { AuthContext } from '@splice/core';

/**
 * The value of `key` for this step: the context's values, which the runtime resolved with the one
 * precedence rule (entered or saved values, then definition defaults, the strategy's included).
 * Callers decide whether an empty string counts as unset.
 *
 * @example
 * ```ts
 * variableValue(ctx, 'pkce'); // 'S256' unless the definition or the user changed it
 * ```
 */
export function variableValue(ctx: AuthContext, key: string): string | undefined {
  return ctx.values[key];
}
