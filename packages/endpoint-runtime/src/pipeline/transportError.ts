import { SpliceError } from '@splice/core';

// Errors raised before a single byte of the request could reach the server: a retry can never
// repeat a side effect, so any method may be retried (SPEC §5).
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Maps an undici or socket error to Splice's: `TIMEOUT` for header/body timeouts, else
 * `ENDPOINT_REQUEST_FAILED` with `details.sent` telling whether the request may have reached the
 * server. Aborts (the caller's signal) and Splice errors pass through unchanged.
 *
 * @example
 * ```ts
 * transportError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 30_000).details.sent; // false
 * ```
 */
export function transportError(error: unknown, timeoutMs: number): unknown {
  if (SpliceError.is(error)) return error;
  if ((error as { name?: unknown } | null)?.name === 'AbortError') return error;
  const code = codeOf(error);
  if (code === 'UND_ERR_ABORTED') return error;
  if (code !== undefined && TIMEOUTS.has(code)) {
    return new SpliceError(
      'TIMEOUT',
      `The endpoint did not answer within its timeout of ${timeoutMs / 1000} s (${code === 'UND_ERR_HEADERS_TIMEOUT' ? 'no response headers' : 'the body stalled'}). Raise the endpoint's "timeoutSeconds" if the API is slow.`,
      { cause: error, details: { timeoutMs, reason: code } },
    );
  }
  const sent = code === undefined || !NOT_SENT.has(code);
  return new SpliceError(
    'ENDPOINT_REQUEST_FAILED',
    `The endpoint request failed before an answer arrived (${code ?? 'network error'}${sent ? '' : ', nothing was sent'}). Check that the API host is reachable.`,
    { cause: error, details: { errorCode: code ?? null, sent } },
  );
}
