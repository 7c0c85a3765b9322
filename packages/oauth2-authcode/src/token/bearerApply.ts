import type { ApplyDefinition } from '@splice/core';

/**
 * How both OAuth 2 strategies put the access token on endpoint requests unless a method's own
 * `apply` says otherwise: `Authorization: Bearer {{access_token}}` (RFC 6750 §2.1). With it, only
 * the method's `dialect.bearerTokenTypes` are accepted as `token_type`; a method that writes its own
 * `apply` accepts any.
 *
 * @example
 * ```ts
 * const strategy = { type: 'my-oauth2', apply: BEARER_APPLY, ... };
 * ```
 */
export const BEARER_APPLY: ApplyDefinition = Object.freeze({
  headers: Object.freeze({ Authorization: 'Bearer {{access_token}}' }),
  query: Object.freeze({}),
});
