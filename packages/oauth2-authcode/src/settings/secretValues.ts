import type { AuthContext } from '@splice/core';
import { OAUTH2_DEFAULT_VARIABLES } from '../variables/defaultVariables.js';

/**
 * Every value that must never appear in a message: secret variables of the method and connector,
 * plus the client secret and authorised code whatever their flags say.
 *
 * @example
 * ```ts
 * scrub(providerText, secretValues(ctx));
 * ```
 */
export function secretValues(ctx: AuthContext): string[] {
  const keys = new Set(['client_secret', 'oauth_authorised_code']);
  for (const v of [
    ...ctx.connector.variables,
    ...ctx.method.variables,
    ...OAUTH2_DEFAULT_VARIABLES,
  ])
    if (v.secret) keys.add(v.key);
  const out: string[] = [];
  for (const key of keys) {
    const value = ctx.values[key];
    if (value !== undefined && value !== '') out.push(value);
  }
  return out;
}
