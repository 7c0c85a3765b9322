import type { AuthContext } from '@splice/core';

/**
 * The context with captured values laid over its values, for rendering the token and refresh
 * URLs and tabs (a captured key never shares a variable's key: the definition check refuses it).
 * A new object per call: the runtime's context is never changed.
 *
 * @example
 * ```ts
 * renderUrl(withCaptured(ctx, credentials.captured), 'token');
 * ```
 */
export function withCaptured<C extends AuthContext>(
  ctx: C,
  captured: Readonly<Record<string, string>> | undefined,
): C {
  if (captured === undefined || Object.keys(captured).length === 0) return ctx;
  return { ...ctx, values: { ...ctx.values, ...captured } };
}
