import { setTimeout as sleep } from 'node:timers/promises';
import { SpliceError } from '@splice/core';
import pRetry from 'p-retry';
import { type Dispatcher, request } from 'undici';
import type { TokenEndpointAuthMethod } from '../settings/OAuthSettings.js';

/** Bounds of the retries of transient token-endpoint failures. */
export interface TokenRetryOptions {
  /** Retries after the first attempt; 0 disables retrying. */
  readonly retries: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the request fails instead. */
  readonly maxRetryAfterMs: number;
}

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
  readonly dispatcher: Dispatcher | undefined;
  readonly retry: TokenRetryOptions;
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

// Retryable answers (RFC 9110 §15.6 and RFC 6585 §4): the request may succeed later. Carries the
// response so the last one can still be reported when retries run out.
class TransientResponse extends Error {
  readonly response: TokenHttpResponse;
  readonly retryAfterMs: number | undefined;
  constructor(response: TokenHttpResponse, retryAfterMs: number | undefined) {
    super(`token endpoint answered ${response.status}`);
    this.response = response;
    this.retryAfterMs = retryAfterMs;
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

/** `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3), in milliseconds. */
function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

// application/x-www-form-urlencoded as RFC 6749 §2.3.1 requires for Basic credentials.
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * Sends one token request (RFC 6749 §4.1.3 / §6) as a form POST with the client authentication
 * of `authMethod`, and returns the answer unjudged. Network errors, 5xx and 429 are retried with
 * backoff (p-retry) within `retry` and within `timeoutMs` overall, honouring `Retry-After`; a 4xx
 * is an answer and never retried. Throws `TIMEOUT` when the time runs out and
 * `TOKEN_REQUEST_FAILED` when the network keeps failing.
 *
 * @example
 * ```ts
 * const response = await sendTokenRequest({ url, params: { grant_type: 'refresh_token',
 *   refresh_token }, extraBody: {}, headers: {}, authMethod: 'client_secret_basic', clientId,
 *   clientSecret, timeoutMs: 30_000, dispatcher: undefined, retry, details: {} });
 * ```
 */
export async function sendTokenRequest(input: TokenRequest): Promise<TokenHttpResponse> {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(input.extraBody)) form.set(key, value);
  for (const [key, value] of Object.entries(input.params)) form.set(key, value);
  const headers: Record<string, string> = { accept: 'application/json', ...input.headers };
  for (const key of Object.keys(headers)) {
    const lower = key.toLowerCase();
    if (
      lower === 'content-type' ||
      (lower === 'authorization' && input.authMethod === 'client_secret_basic')
    )
      delete headers[key];
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
  const body = form.toString();
  const deadline = AbortSignal.timeout(input.timeoutMs);
  let attempts = 0;

  const attempt = async (): Promise<TokenHttpResponse> => {
    attempts += 1;
    const response = await request(input.url, {
      method: 'POST',
      headers,
      body,
      signal: deadline,
      ...(input.dispatcher === undefined ? {} : { dispatcher: input.dispatcher }),
    });
    const text = await response.body.text();
    const contentType = String(response.headers['content-type'] ?? '');
    const answer: TokenHttpResponse = {
      status: response.statusCode,
      headers: response.headers,
      contentType,
      text,
      attempts,
    };
    if (response.statusCode >= 500 || response.statusCode === 429) {
      throw new TransientResponse(answer, retryAfterMs(response.headers['retry-after']));
    }
    return answer;
  };

  try {
    return await pRetry(attempt, {
      retries: input.retry.retries,
      minTimeout: input.retry.minDelayMs,
      maxTimeout: input.retry.maxDelayMs,
      randomize: true,
      signal: deadline,
      shouldRetry: ({ error }) =>
        !deadline.aborted && (error instanceof TransientResponse || isNetworkError(error)),
      onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
        if (retriesLeft === 0 || deadline.aborted) return;
        if (!(error instanceof TransientResponse || isNetworkError(error))) return;
        const reason =
          error instanceof TransientResponse
            ? `status ${error.response.status}`
            : String((error as { code?: unknown }).code);
        input.onRetry?.(attemptNumber, reason);
        if (error instanceof TransientResponse && error.retryAfterMs !== undefined) {
          // p-retry has no Retry-After support: wait here, then its own (short) backoff follows.
          if (error.retryAfterMs > input.retry.maxRetryAfterMs) throw error;
          await sleep(error.retryAfterMs, undefined, { signal: deadline });
        }
      },
    });
  } catch (error) {
    if (error instanceof TransientResponse) return error.response;
    if (deadline.aborted) {
      throw new SpliceError(
        'TIMEOUT',
        `Token request to ${where(input.url)} did not finish within ${input.timeoutMs / 1000} s (the method's timeoutSeconds), after ${attempts} attempt(s). Raise timeoutSeconds or check the provider.`,
        { details: { ...input.details, attempts, timeoutMs: input.timeoutMs } },
      );
    }
    if (SpliceError.is(error)) throw error;
    const code = (error as { code?: unknown } | null)?.code;
    throw new SpliceError(
      'TOKEN_REQUEST_FAILED',
      `Token request to ${where(input.url)} failed after ${attempts} attempt(s): ${typeof code === 'string' ? code : 'network error'}. Check that the token URL is reachable.`,
      { cause: error, details: { ...input.details, attempts } },
    );
  }
}
