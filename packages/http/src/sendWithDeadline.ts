import { SpliceError } from '@splice/core';
import type { Dispatcher } from 'undici';
import type { Exchange } from './Exchange.js';
import type { HttpResponse } from './HttpResponse.js';
import type { RetryPolicy } from './RetryPolicy.js';
import { type RetryNotice, RetryRule } from './RetryRule.js';
import { sendRequest } from './sendRequest.js';

/** One request sent whole within a deadline, retries included ({@link sendWithDeadline}). */
export interface DeadlineRequest {
  readonly dispatcher: Dispatcher;
  /**
   * The request options of attempt `attempt` (from 1), without `signal` (the deadline's is
   * added). Called once per attempt, so an attempt can be signed afresh (OAuth 1).
   */
  readonly request: (attempt: number) => Omit<Dispatcher.RequestOptions, 'signal'>;
  readonly exchange: Exchange;
  readonly retry: RetryPolicy;
  /** Safe to repeat when the server may have seen it (RFC 9110 §9.2.2). */
  readonly idempotent: boolean;
  /** The whole operation, retries and their waits included, in milliseconds. */
  readonly timeoutMs: number;
  /** The injected epoch-millisecond clock (`Retry-After` dates). */
  readonly now: () => number;
  /** Told before each retry what failed (nothing secret). */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** The answer of {@link sendWithDeadline} and the attempts it took (1 when the first answered). */
export interface DeadlineResponse {
  readonly response: HttpResponse;
  readonly attempts: number;
}

/**
 * Sends a request that is not an endpoint call (a token request, a strategy's credential check
 * or OAuth 1 credential request) through the HTTP edge under the one retry rule
 * ({@link RetryRule}: network failures, 429 and 5xx, `Retry-After`), the whole operation within
 * `timeoutMs` (the auth method's `timeoutSeconds`), and returns the answer unjudged (any status).
 *
 * Errors: `TIMEOUT` when the time runs out (`details.attempts`, `details.timeoutMs`);
 * `exchange.failure` when the network keeps failing or the answer exceeds `exchange.maxBytes`,
 * its message and details given the attempt count. Both carry `exchange.details`. A `TypeError`
 * with code `INVALID_OPTION` at the first attempt, not retried, when `dispatcher` is an undici
 * before 7 ({@link sendRequest}).
 *
 * @example
 * ```ts
 * const { response, attempts } = await sendWithDeadline({ dispatcher, request: () => ({ origin,
 *   path, method: 'POST', headers, body }), exchange, retry, idempotent: true, timeoutMs: 30_000,
 *   now: Date.now });
 * ```
 */
export async function sendWithDeadline(input: DeadlineRequest): Promise<DeadlineResponse> {
  const { exchange, timeoutMs } = input;
  // Not `AbortSignal.timeout`: its timer cannot be cleared, so every request kept a timer and a
  // weak reference alive for the whole `timeoutMs` after it had settled (~200 B per token
  // request, for 30 s by default). The same `TimeoutError` reason, cleared when settled, and
  // unref'd like `AbortSignal.timeout`'s: a deadline alone never keeps the process running.
  const controller = new AbortController();
  const timer = setTimeout(
    () =>
      controller.abort(
        new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      ),
    timeoutMs,
  ).unref();
  const deadline = controller.signal;
  let attempts = 0;
  const attempt = (): Promise<HttpResponse> => {
    attempts += 1;
    return sendRequest(
      input.dispatcher,
      { ...input.request(attempts), signal: deadline },
      exchange,
    );
  };
  try {
    const response = await new RetryRule(input.retry, exchange.failure, input.now).run(attempt, {
      idempotent: input.idempotent,
      signal: deadline,
      ...(input.onRetry === undefined ? {} : { onRetry: input.onRetry }),
    });
    return { response, attempts };
  } catch (error) {
    if (deadline.aborted) {
      throw new SpliceError(
        'TIMEOUT',
        `${exchange.subject} did not finish within ${timeoutMs / 1000} s (the method's timeoutSeconds), after ${attempts} attempt(s). Raise timeoutSeconds or check the server.`,
        { details: { ...exchange.details, attempts, timeoutMs } },
      );
    }
    if (SpliceError.is(error, exchange.failure)) {
      // The edge names what failed; the attempt count is this request's to add.
      throw new SpliceError(error.code, `${error.message} (${attempts} attempt(s))`, {
        cause: error.cause,
        details: { ...error.details, attempts },
      });
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
