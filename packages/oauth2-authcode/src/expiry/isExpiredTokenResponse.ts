import type { InstanceContext, ResponseSummary } from '@splice/core';
import { parseStatuses } from '../settings/parseStatuses.js';
import { variableValue } from '../settings/variableValue.js';

// RFC 6750 §3.1: a resource server says a token is expired or revoked with this challenge.
const INVALID_TOKEN = /\bbearer\b[\s\S]*?\berror\s*=\s*"?invalid_token"?/i;

/**
 * True when an endpoint response means the access token was refused as expired: its status is in
 * `expired_token_statuses` (default `401`; e.g. `401,403`), or it carries
 * `WWW-Authenticate: Bearer error="invalid_token"` whatever the status. The runtime then
 * refreshes (unless the token already changed) and replays the request once.
 *
 * @example
 * ```ts
 * isExpiredTokenResponse(ctx, { status: 403, headers: {} }); // true with "401,403"
 * ```
 */
export function isExpiredTokenResponse(ctx: InstanceContext, response: ResponseSummary): boolean {
  const name = Object.keys(response.headers).find(
    (key) => key.toLowerCase() === 'www-authenticate',
  );
  const challenge = name === undefined ? undefined : response.headers[name];
  const challenges = Array.isArray(challenge)
    ? challenge
    : challenge === undefined
      ? []
      : [challenge];
  if (challenges.some((value) => INVALID_TOKEN.test(value))) return true;
  if (response.status < 400) return false;
  const statuses =
    parseStatuses(variableValue(ctx, 'expired_token_statuses') ?? '401') ?? new Set([401]);
  return statuses.has(response.status);
}
