import { REDACTED } from '@splice/core';

// Keys whose values are credentials wherever they appear in a response body. Narrower than core's
// SECRET_KEY_PATTERN on purpose: `code` is a product or error code in most API responses.
const CREDENTIAL_KEY =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|client_secret|code_verifier|access_token|refresh_token|id_token|password|api[-_]?key|x-api-key|token|secret)$/i;

/**
 * Copies a parsed response body, replacing the value of every credential-named property
 * (`authorization`, `access_token`, `x-api-key`, ...) with `"[redacted]"` at any depth. The
 * dashboard shows what an API answered; an echo API answers with the request's own headers, and
 * the page must never show a token.
 *
 * @example
 * ```ts
 * redactResponse({ headers: { authorization: 'Bearer abc' }, ok: true });
 * // { headers: { authorization: '[redacted]' }, ok: true }
 * ```
 */
export function redactResponse(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactResponse);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] =
      CREDENTIAL_KEY.test(key) && inner !== null && inner !== '' ? REDACTED : redactResponse(inner);
  }
  return out;
}
