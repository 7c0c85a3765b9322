import { type Logger, SpliceError } from '@splice/core';
import pRetry, { type RetryContext } from 'p-retry';
import type { RetryPolicy } from '../container/RuntimeSettings.js';
import type { EndpointCall, EndpointResponse, Send } from './EndpointCall.js';
import { retryAfterMs } from './retryAfterMs.js';

/** A retryable answer (429, 5xx), thrown inside the retry loop and carrying its wait. */
class RetryableResponse extends Error {
  readonly response: EndpointResponse;
  /** From `Retry-After`; undefined means exponential backoff. */
  readonly delayMs: number | undefined;

  constructor(response: EndpointResponse, delayMs: number | undefined) {
    super(`HTTP ${response.status}`);
    this.response = response;
    this.delayMs = delayMs;
  }
}

function retryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

// Network failures are retried for idempotent methods, and for every method when the request
// provably never left (connection refused, DNS failure, connect timeout).
function retryableError(error: unknown, call: EndpointCall): boolean {
  if (!SpliceError.is(error, 'ENDPOINT_REQUEST_FAILED')) return false;
  const { sent, reason } = error.details as { sent?: boolean; reason?: string };
  if (reason !== undefined) return false;
  return sent === false || call.target.idempotent;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The retry layer (p-retry): retries network failures, 429 and 5xx answers — idempotent methods
 * only, unless the request never reached the server — with exponential backoff and jitter, or
 * exactly the wait a `Retry-After` asks for (seconds or HTTP-date). Bounded by `policy.retries`;
 * a `Retry-After` beyond `policy.maxDelayMs` is not waited for. After the last attempt the final
 * answer is returned as it is, so the caller sees the real status.
 *
 * The first attempt runs outside p-retry: a call that succeeds (nearly all) pays for no retry
 * bookkeeping at all.
 *
 * @example
 * ```ts
 * const send = createRetryLayer(authLayer, { retries: 2, minDelayMs: 250, maxDelayMs: 30_000 },
 *   Date.now, noopLogger);
 * ```
 */
export function createRetryLayer(
  next: Send,
  policy: RetryPolicy,
  now: () => number,
  logger: Logger,
): Send {
  const { retries, minDelayMs, maxDelayMs } = policy;

  // A retryable answer (429/5xx of an idempotent method, Retry-After within bounds) becomes a
  // RetryableResponse to throw; undefined means the answer is final.
  function retryable(
    response: EndpointResponse,
    call: EndpointCall,
  ): RetryableResponse | undefined {
    if (!retryableStatus(response.status) || !call.target.idempotent) return undefined;
    const delayMs = retryAfterMs(response.headers['retry-after'], now());
    if (delayMs !== undefined && delayMs > maxDelayMs) return undefined;
    return new RetryableResponse(response, delayMs);
  }

  async function attempt(call: EndpointCall): Promise<EndpointResponse> {
    call.attempts++;
    const response = await next(call);
    const again = retryable(response, call);
    if (again !== undefined) throw again;
    return response;
  }

  function backoff(retriesConsumed: number): number {
    const base = Math.min(maxDelayMs, minDelayMs * 2 ** retriesConsumed);
    // Equal jitter: at least half the backoff, so callers in lockstep spread out.
    return Math.round(base / 2 + Math.random() * (base / 2));
  }

  return async function retry(call) {
    let first: unknown;
    // The first attempt, inline: the common case pays for no retry machinery.
    try {
      call.attempts++;
      const response = await next(call);
      if (retries === 0) return response;
      first = retryable(response, call);
      if (first === undefined) return response;
    } catch (error) {
      if (retries === 0 || !retryableError(error, call)) throw error;
      first = error;
    }
    const shouldRetry = ({ error }: RetryContext): boolean =>
      error instanceof RetryableResponse || retryableError(error, call);
    try {
      return await pRetry(
        (attemptNumber) => (attemptNumber === 1 ? Promise.reject(first) : attempt(call)),
        {
          retries,
          // p-retry's own wait is off: the delay comes from the error (Retry-After) or backoff.
          minTimeout: 0,
          maxTimeout: 0,
          ...(call.signal === undefined ? {} : { signal: call.signal }),
          shouldRetry,
          onFailedAttempt: async (context) => {
            if (context.retriesLeft === 0 || !shouldRetry(context)) return;
            const { error } = context;
            const delay =
              error instanceof RetryableResponse && error.delayMs !== undefined
                ? error.delayMs
                : backoff(context.retriesConsumed);
            logger.debug('Retrying endpoint request', {
              attempt: context.attemptNumber,
              delayMs: delay,
              status: error instanceof RetryableResponse ? error.response.status : undefined,
              code: SpliceError.is(error) ? error.code : undefined,
            });
            await sleep(delay, call.signal);
          },
        },
      );
    } catch (error) {
      if (error instanceof RetryableResponse) return error.response;
      throw error;
    }
  };
}
