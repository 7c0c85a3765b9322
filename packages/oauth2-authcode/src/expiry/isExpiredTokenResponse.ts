import type { InstanceContext, ResponseSummary } from '@splice/core';
import { matchingBodyRule } from '../dialect/matchingBodyRule.js';
import { parseStatuses } from '../settings/parseStatuses.js';
import { variableValue } from '../settings/variableValue.js';

// RFC 6750 §3.1: a resource server says a token is expired or revoked with this challenge.
const INVALID_TOKEN = /\bbearer\b[\s\S]*?\berror\s*=\s*"?invalid_token"?/i;

function challenged(response: ResponseSummary): boolean {
  const name = Object.keys(response.headers).find(
    (key) => key.toLowerCase() === 'www-authenticate',
  );
  const challenge = name === undefined ? undefined : response.headers[name];
  const challenges = Array.isArray(challenge)
    ? challenge
    : challenge === undefined
      ? []
      : [challenge];
  return challenges.some((value) => INVALID_TOKEN.test(value));
}

/**
 * True when an endpoint response means the access token was refused as expired: an error status
 * in `expired_token_statuses` (default `401`; e.g. `401,403`), or an error status with
 * `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1), or — at any status, 200
 * included — a small JSON body that matches one of the method's `dialect.invalidToken.body`
 * rules (bodies over 16 KiB are never parsed). The runtime then refreshes (unless the token
 * already changed) and replays the request once. Asked for every answer: without body rules a
 * 2xx costs one property check.
 *
 * @example
 * ```ts
 * isExpiredTokenResponse(ctx, { status: 403, headers: {} }); // true with "401,403"
 * // dialect.invalidToken.body: [{ path: 'error', equals: ['invalid_token'] }]
 * isExpiredTokenResponse(ctx, { status: 200, headers: {}, body: '{"error":"invalid_token"}' }); // true
 * ```
 */
export function isExpiredTokenResponse(ctx: InstanceContext, response: ResponseSummary): boolean {
  if (response.status >= 400) {
    if (challenged(response)) return true;
    const statuses =
      parseStatuses(variableValue(ctx, 'expired_token_statuses') ?? '401') ?? new Set([401]);
    if (statuses.has(response.status)) return true;
  }
  const rules = ctx.method.dialect?.invalidToken?.body;
  return rules !== undefined && matchingBodyRule(rules, response.body) !== undefined;
}
