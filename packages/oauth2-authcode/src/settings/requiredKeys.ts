import type { ResolvedAuthMethod } from '@splice/core';

// Never required up front: an advanced shortcut that replaces the browser step when set.
const NEVER_REQUIRED = new Set(['oauth_authorised_code']);

/**
 * The strategy's rule for which auth variables need a value, given the others (the runtime's
 * `requiredKeys` hook): those flagged `required`, except `client_secret` for a public client
 * (`token_endpoint_auth_method: none`, RFC 6749 §2.1: a public client has no secret) and
 * `oauth_authorised_code`.
 *
 * @example
 * ```ts
 * oauthRequiredKeys(method, { token_endpoint_auth_method: 'none' }); // ['client_id']
 * ```
 */
export function oauthRequiredKeys(
  method: ResolvedAuthMethod,
  values: Readonly<Record<string, string>>,
): string[] {
  const authMethod =
    values['token_endpoint_auth_method'] ??
    method.variables.find((v) => v.key === 'token_endpoint_auth_method')?.default;
  return method.variables
    .filter((v) => v.required && !NEVER_REQUIRED.has(v.key))
    .filter((v) => !(v.key === 'client_secret' && authMethod === 'none'))
    .map((v) => v.key);
}
