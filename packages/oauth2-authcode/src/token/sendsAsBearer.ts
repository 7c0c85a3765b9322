import type { ApplyDefinition } from '@splice/core';

/**
 * How both OAuth 2 strategies put the access token on endpoint requests unless a method's own
 * `apply` says otherwise: `Authorization: Bearer {{access_token}}` (RFC 6750 §2.1).
 *
 * @example
 * ```ts
 * sendsAsBearer(BEARER_APPLY); // true
 * ```
 */
export const BEARER_APPLY: ApplyDefinition = Object.freeze({
  headers: Object.freeze({ Authorization: 'Bearer {{access_token}}' }),
  query: Object.freeze({}),
});

const BEARER_HEADER = /^\s*bearer\s+\{\{\s*access_token\s*\}\}/i;
const ACCESS_TOKEN_VALUE = /^\s*\{\{\s*access_token\s*\}\}\s*$/;

/**
 * Whether an `apply` sends the access token as an RFC 6750 bearer token: an `Authorization`-style
 * header `Bearer {{access_token}}` or the `access_token={{access_token}}` query parameter
 * (RFC 6750 §2.1, §2.3). A definition's own apply that does so is held to the bearer rule for
 * `token_type` like the default one; any other apply is its author's decision.
 *
 * @example
 * ```ts
 * sendsAsBearer({ headers: { Authorization: 'Bearer {{access_token}}' }, query: {} }); // true
 * sendsAsBearer({ headers: { Authorization: '{{token_type}} {{access_token}}' }, query: {} }); // false
 * ```
 */
export function sendsAsBearer(apply: ApplyDefinition): boolean {
  for (const value of Object.values(apply.headers)) if (BEARER_HEADER.test(value)) return true;
  for (const [key, value] of Object.entries(apply.query)) {
    if (key === 'access_token' && ACCESS_TOKEN_VALUE.test(value)) return true;
  }
  return false;
}
