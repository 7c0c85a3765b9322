import { invalidArgument, SpliceError, type SpliceTypeError } from '@splice/core';
import type { Exchange } from './Exchange.js';

// Errors raised before a single byte of the request could reach the server: a retry can never
// repeat a side effect, so any method may be retried (SPEC §5).
const NOT_SENT: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUTS: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

// A URL in an error message loses its query and fragment: they may carry a credential.
const URL_TAIL = /(\bhttps?:\/\/[^\s?#"'<>]*)[?#][^\s"'<>]*/gi;

/**
 * What a Splice error keeps of an undici or socket error as its `cause`: a plain `Error` with
 * the original's name, `code` and message (at most 500 characters, any URL's query and fragment
 * cut off), and nothing else. undici and Node errors may hold the request (`.input` with the
 * whole URL, `.data`, headers, the socket); a `cause` is printed by `util.inspect` and logged
 * whole, so none of it may travel.
 *
 * @example
 * ```ts
 * safeCause(Object.assign(new TypeError('Invalid URL'), { input: 'https://a/?token=t' }));
 * // Error { name: 'TypeError', message: 'Invalid URL' } (no `input`)
 * ```
 */
export function safeCause(error: unknown): Error {
  const source = error instanceof Error ? error : undefined;
  const message = (source?.message ?? String(error)).slice(0, 500).replace(URL_TAIL, '$1');
  const copy = new Error(message);
  copy.name = source?.name ?? 'Error';
  const code = codeOf(error);
  if (code !== undefined) Object.defineProperty(copy, 'code', { value: code, enumerable: true });
  // The copy's own stack would point here, and the original's may quote the request.
  copy.stack = `${copy.name}: ${message}`;
  return copy;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

// What a dispatcher of undici before 7 (Node's built-in fetch's Agent, an Agent of undici 6)
// throws from `dispatch` for Splice's handler, before anything is sent: it knows only the old
// handler API, finds no `onConnect`, then no `onError` to report that to. undici 7 never throws it
// for that handler (README: "An older undici's dispatcher").
function olderUndiciRefusal(error: unknown): boolean {
  return (
    codeOf(error) === 'UND_ERR_INVALID_ARG' &&
    (error as { message?: unknown }).message === 'invalid onError method'
  );
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`;
}

// A caller mistake in the dispatcher passed, told at its first request: not a network failure.
function olderUndiciDispatcher(error: unknown, exchange: Exchange): SpliceTypeError {
  const refusal = invalidArgument(
    `"dispatcher" is a dispatcher of undici before version 7 (such as Node's built-in fetch's Agent, or an Agent of undici 6): it refused the request handler Splice dispatches with (undici: "invalid onError method"), so ${lowerFirst(exchange.subject)} was not sent. Pass an undici 7 Agent, Pool or Client, or one composed from them, or leave "dispatcher" out of createRuntime() for the runtime's own Agent.`,
    'INVALID_OPTION',
  );
  Object.defineProperty(refusal, 'cause', {
    value: safeCause(error),
    writable: true,
    configurable: true,
  });
  return refusal;
}

/**
 * Maps an undici or socket error to Splice's (the one mapping, for endpoint calls and token
 * requests alike): header and body timeouts → `TIMEOUT`; anything else → `exchange.failure` with
 * `details.reason: 'network'`, `details.errorCode` and `details.sent` (false when the request
 * provably never left: connection refused, DNS failure, connect timeout). The `cause` is
 * {@link safeCause} of the original, never the original. Aborts (the caller's signal) and Splice
 * errors pass through unchanged. A dispatcher of undici before 7, which refuses Splice's handler
 * before sending ("invalid onError method"), is a `TypeError` with code `INVALID_OPTION` naming
 * `"dispatcher"` (no network failure, never retried).
 *
 * @example
 * ```ts
 * networkFailure(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), exchange, 30_000)
 *   .details.sent; // false
 * ```
 */
export function networkFailure(error: unknown, exchange: Exchange, timeoutMs: number): unknown {
  if (SpliceError.is(error)) return error;
  if ((error as { name?: unknown } | null)?.name === 'AbortError') return error;
  if (olderUndiciRefusal(error)) return olderUndiciDispatcher(error, exchange);
  const code = codeOf(error);
  if (code === 'UND_ERR_ABORTED') return error;
  if (code !== undefined && TIMEOUTS.has(code)) {
    return new SpliceError(
      'TIMEOUT',
      `${exchange.subject} got no answer within its timeout of ${timeoutMs / 1000} s (${code === 'UND_ERR_HEADERS_TIMEOUT' ? 'no response headers' : 'the body stalled'}). Raise "timeoutSeconds" in the definition if the server is slow.`,
      { cause: safeCause(error), details: { ...exchange.details, timeoutMs, reason: code } },
    );
  }
  const sent = code === undefined || !NOT_SENT.has(code);
  return new SpliceError(
    exchange.failure,
    `${exchange.subject} failed before an answer arrived (${code ?? 'network error'}${sent ? '' : ', nothing was sent'}). Check that the host is reachable.`,
    {
      cause: safeCause(error),
      details: { ...exchange.details, reason: 'network', errorCode: code ?? null, sent },
    },
  );
}

/**
 * Whether a failed attempt may be tried again (SPEC §5): only network failures, and then for
 * idempotent requests (RFC 9110 §9.2.2), or for any request when nothing was sent. Timeouts,
 * oversized answers and every other error are final.
 *
 * @example
 * ```ts
 * mayRetryFailure(error, request.method === 'GET');
 * ```
 */
export function mayRetryFailure(error: unknown, idempotent: boolean): boolean {
  if (!SpliceError.is(error)) return false;
  if (error.code !== 'ENDPOINT_REQUEST_FAILED' && error.code !== 'TOKEN_REQUEST_FAILED')
    return false;
  const { reason, sent } = error.details as { reason?: unknown; sent?: unknown };
  return reason === 'network' && (sent === false || idempotent);
}

/**
 * Whether an answer's status asks to be tried again later: 429 (RFC 6585 §4) and 5xx.
 *
 * @example
 * ```ts
 * isRetryableStatus(503); // true
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}
