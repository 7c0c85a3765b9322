import type { AuthContext } from '@splice/core';

/**
 * One of the redirect flow's URLs (`request_token`, `authorise`, `access_token`), rendered from the
 * template the runtime compiled once with the context's values. `validateMethod` requires all
 * three, and the runtime refuses a method it rejects at start-up, so the template is there.
 *
 * @example
 * ```ts
 * methodUrl(ctx, 'request_token'); // 'https://provider.example/oauth/request_token'
 * ```
 */
export function methodUrl(ctx: AuthContext, name: 'request_token' | 'authorise' | 'access_token') {
  return ctx.templates.urls[name]!.render(ctx.values);
}
