import { type RetryPolicy, sendWithDeadline, undiciGlobalDispatcher } from '@splice/http';
import type { Dispatcher } from 'undici';
import type { TokenEndpointAuthMethod } from '../settings/OAuthSettings.js';

/**
 * The largest token response read, in bytes (1 MiB): a token response is a few hundred bytes, and
 * a bigger answer is refused unread with `TOKEN_REQUEST_FAILED` (`details.reason:
 * 'response_too_large'`).
 *
 * @example
 * ```ts
 * TOKEN_RESPONSE_MAX_BYTES; // 1048576
 * ```
 */
export const TOKEN_RESPONSE_MAX_BYTES = 1024 * 1024;

/** One request to a token endpoint (code exchange or refresh). */
export interface TokenRequest {
  readonly url: string;
  /** Protocol parameters: `grant_type`, `code`, `refresh_token`... They win over `extraBody`. */
  readonly params: Readonly<Record<string, string>>;
  /** The method's body tab. */
  readonly extraBody: Readonly<Record<string, string>>;
  /** The method's header tab. */
  readonly headers: Readonly<Record<string, string>>;
  readonly authMethod: TokenEndpointAuthMethod;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  /** The whole operation, retries included, must finish within this (the method's timeout). */
  readonly timeoutMs: number;
  /** An undici dispatcher; undefined means undici's global one. */
  readonly dispatcher: Dispatcher | undefined;
  readonly retry: RetryPolicy;
  /** The injected epoch-millisecond clock (`Retry-After` dates). */
  readonly now: () => number;
  /** Called before each retry with the attempt that failed and why (no secrets). */
  readonly onRetry?: (attempt: number, reason: string) => void;
  /** Ids for error details. */
  readonly details: Readonly<Record<string, string>>;
}

/** A token endpoint's answer, not yet judged. */
export interface TokenHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly contentType: string;
  readonly text: string;
  /** Attempts made (1 when the first one answered). */
  readonly attempts: number;
}

// application/x-www-form-urlencoded as RFC 6749 §2.3.1 requires for Basic credentials.
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

/**
 * Sends one token request (RFC 6749 §4.1.3 / §6) as a form POST with the client authentication of
 * `authMethod`, through the HTTP edge — the same transport, retry rule, bounded read and error
 * mapping as endpoint calls — and returns the answer unjudged. Token requests count as repeatable
 * (a repeated grant fails at worst with `invalid_grant`), so network failures, 5xx and 429 are
 * retried within `retry` and within `timeoutMs` overall, honouring `Retry-After`; a 4xx is an
 * answer and never retried (`@splice/http`'s `sendWithDeadline`).
 *
 * Errors: `TIMEOUT` when the time runs out; `TOKEN_REQUEST_FAILED` when the network keeps failing
 * (`details.reason: 'network'`) or the answer exceeds {@link TOKEN_RESPONSE_MAX_BYTES}; both with
 * `details.attempts`. A `TypeError` with code `INVALID_OPTION`, nothing sent, when the dispatcher
 * is an undici before 7 (`sendWithDeadline`).
 *
 * @example
 * ```ts
 * const response = await sendTokenRequest({ url, params: { grant_type: 'refresh_token',
 *   refresh_token }, extraBody: {}, headers: {}, authMethod: 'client_secret_basic', clientId,
 *   clientSecret, timeoutMs: 30_000, dispatcher: undefined, retry, now: Date.now, details: {} });
 * ```
 */
export async function sendTokenRequest(input: TokenRequest): Promise<TokenHttpResponse> {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(input.extraBody)) form.set(key, value);
  for (const [key, value] of Object.entries(input.params)) form.set(key, value);
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [key, value] of Object.entries(input.headers)) {
    const lower = key.toLowerCase();
    if (lower === 'content-type') continue;
    if (lower === 'authorization' && input.authMethod === 'client_secret_basic') continue;
    headers[lower] = value;
  }
  headers['content-type'] = 'application/x-www-form-urlencoded';
  if (input.authMethod === 'client_secret_basic') {
    const pair = `${formEncode(input.clientId)}:${formEncode(input.clientSecret ?? '')}`;
    headers['authorization'] = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', input.clientId);
    if (input.authMethod === 'client_secret_post')
      form.set('client_secret', input.clientSecret ?? '');
  }
  const url = new URL(input.url);
  const { response, attempts } = await sendWithDeadline({
    dispatcher: input.dispatcher ?? undiciGlobalDispatcher(),
    request: () => ({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers,
      body: form.toString(),
    }),
    exchange: {
      failure: 'TOKEN_REQUEST_FAILED',
      subject: `Token request to ${url.origin}${url.pathname}`,
      maxBytes: TOKEN_RESPONSE_MAX_BYTES,
      details: input.details,
    },
    retry: input.retry,
    idempotent: true,
    timeoutMs: input.timeoutMs,
    now: input.now,
    onRetry: ({ attempt, status, errorCode }) =>
      input.onRetry?.(attempt, status === undefined ? String(errorCode) : `status ${status}`),
  });
  return {
    status: response.status,
    headers: response.headers,
    contentType: String(response.headers['content-type'] ?? ''),
    text: response.body,
    attempts,
  };
}
