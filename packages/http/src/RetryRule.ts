import pRetry, { type RetryContext } from 'p-retry';
import type { Exchange } from './Exchange.js';
import type { HttpResponse } from './HttpResponse.js';
import { isRetryableStatus, mayRetryFailure } from './networkFailure.js';
import type { RetryPolicy } from './RetryPolicy.js';
import { retryAfterMs } from './retryAfterMs.js';

/**
 * What is told before a retry: the attempt that failed and why.
 *
 * @example
 * ```ts
 * onRetry: ({ attempt, delayMs, status, errorCode }) => logger.debug('retrying', { attempt })
 * ```
 */
export interface RetryNotice {
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  /** The answer's status, when an answer came. */
  readonly status?: number;
  /** The error's code (`ENDPOINT_REQUEST_FAILED`...), when no answer came. */
  readonly errorCode?: string;
}

/**
 * One request's view of a retry: whether it may be repeated, what cancels it, who hears of it.
 *
 * @example
 * ```ts
 * const request: RetryRequest = { idempotent: true, signal, onRetry: (n) => log(n) };
 * ```
 */
export interface RetryRequest {
  /**
   * Safe to repeat even when the server may have seen it (RFC 9110 §9.2.2; token requests say
   * so too: a repeated grant fails at worst with `invalid_grant`). Answers 429/5xx and network
   * failures after sending are retried only then; failures before sending always.
   */
  readonly idempotent: boolean;
  /** Cancels the waits (and is expected to cancel the attempts). */
  readonly signal?: AbortSignal | undefined;
  /** Told before each wait what failed; nothing secret is passed. */
  readonly onRetry?: ((notice: RetryNotice) => void) | undefined;
}

/** A retryable answer, thrown inside the retry loop and carrying its wait. */
class RetryableAnswer extends Error {
  readonly response: HttpResponse;
  /** From `Retry-After`; undefined means exponential backoff. */
  readonly delayMs: number | undefined;

  constructor(response: HttpResponse, delayMs: number | undefined) {
    super(`HTTP ${response.status}`);
    this.response = response;
    this.delayMs = delayMs;
  }
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
 * The one retry rule of Splice, for endpoint calls and token requests alike (p-retry
 * underneath): network failures ({@link mayRetryFailure}) and answers 429/5xx are tried again —
 * answers and failures after sending only for idempotent requests — with exponential backoff and
 * equal jitter, or exactly the wait a `Retry-After` asks for (seconds or HTTP-date, read with the
 * injected clock). Bounded by `policy.retries`. An answer whose `Retry-After` exceeds
 * `policy.maxRetryAfterMs`, and the answer of the last attempt, are returned as they are, so the
 * caller sees the real status and headers. Only failures coded `failure` (those the attempts
 * themselves raise) are retried: a token request failing inside an endpoint call's attempt was
 * already retried where it was made.
 *
 * The first attempt is the caller's: {@link RetryRule.isFinal} and {@link RetryRule.mayRetry}
 * tell whether its outcome ends the request, and {@link RetryRule.after} continues only when it
 * does not, so a request that succeeds (nearly all) pays for no retry bookkeeping.
 *
 * @example
 * ```ts
 * const rule = new RetryRule(policy, 'TOKEN_REQUEST_FAILED', Date.now);
 * const response = await rule.run(() => sendRequest(agent, request, exchange), { idempotent: true });
 * ```
 */
export class RetryRule {
  readonly policy: RetryPolicy;
  readonly #failure: Exchange['failure'];
  readonly #now: () => number;

  constructor(policy: RetryPolicy, failure: Exchange['failure'], now: () => number) {
    this.policy = policy;
    this.#failure = failure;
    this.#now = now;
  }

  /** True when `response` ends the request: not 429/5xx, not idempotent, or retries are off. */
  isFinal(response: HttpResponse, idempotent: boolean): boolean {
    return this.#retryable(response, idempotent) === undefined;
  }

  /** True when a failed attempt may be tried again (its code is this rule's, and see above). */
  mayRetry(error: unknown, idempotent: boolean): boolean {
    return (
      this.policy.retries > 0 &&
      (error as { code?: unknown } | null)?.code === this.#failure &&
      mayRetryFailure(error, idempotent)
    );
  }

  /** The first attempt and, when its outcome allows, the retries. */
  async run(attempt: () => Promise<HttpResponse>, request: RetryRequest): Promise<HttpResponse> {
    let response: HttpResponse;
    try {
      response = await attempt();
    } catch (error) {
      if (!this.mayRetry(error, request.idempotent)) throw error;
      return this.after(error, attempt, request);
    }
    return this.isFinal(response, request.idempotent)
      ? response
      : this.after(response, attempt, request);
  }

  /**
   * Continues after a first outcome that was not final (an answer `isFinal` refused, or an
   * error `mayRetry` accepted): waits, tries again up to `policy.retries` times, and returns the
   * last answer or throws the last error.
   */
  async after(
    first: HttpResponse | unknown,
    attempt: () => Promise<HttpResponse>,
    request: RetryRequest,
  ): Promise<HttpResponse> {
    const { idempotent, signal } = request;
    const firstOutcome =
      first instanceof Error ? first : this.#retryable(first as HttpResponse, idempotent);
    const shouldRetry = ({ error }: RetryContext): boolean =>
      error instanceof RetryableAnswer || this.mayRetry(error, idempotent);
    try {
      return await pRetry(
        async (attemptNumber) => {
          if (attemptNumber === 1) throw firstOutcome;
          const response = await attempt();
          const again = this.#retryable(response, idempotent);
          if (again !== undefined) throw again;
          return response;
        },
        {
          retries: this.policy.retries,
          // p-retry's own wait is off: the delay comes from Retry-After or the backoff below.
          minTimeout: 0,
          maxTimeout: 0,
          ...(signal === undefined ? {} : { signal }),
          shouldRetry,
          onFailedAttempt: async (context) => {
            if (context.retriesLeft === 0 || !shouldRetry(context)) return;
            const { error } = context;
            const delayMs =
              error instanceof RetryableAnswer && error.delayMs !== undefined
                ? error.delayMs
                : this.#backoff(context.retriesConsumed);
            const code = (error as { code?: unknown }).code;
            request.onRetry?.({
              attempt: context.attemptNumber,
              delayMs,
              ...(error instanceof RetryableAnswer ? { status: error.response.status } : {}),
              ...(typeof code === 'string' ? { errorCode: code } : {}),
            });
            await sleep(delayMs, signal);
          },
        },
      );
    } catch (error) {
      if (error instanceof RetryableAnswer) return error.response;
      throw error;
    }
  }

  /**
   * Repeats an operation that is not an HTTP exchange (a store write that must land, say) with
   * this rule's backoff: exponential from `policy.minDelayMs`, capped at `policy.maxDelayMs`, with
   * equal jitter. Tries again while `shouldRetry(error)` holds, at most `retries` times
   * (`Infinity`: until it succeeds or `signal` aborts; default `policy.retries`). Resolves to the
   * operation's result; rejects with its last error, or the signal's reason.
   *
   * @example
   * ```ts
   * await rule.repeat(() => store.set(key, value, { ifVersion }), {
   *   retries: 4,
   *   shouldRetry: (error) => SpliceError.is(error, 'STORE_UNAVAILABLE'),
   * });
   * ```
   */
  async repeat<T>(
    operation: (attempt: number) => Promise<T>,
    options: {
      readonly shouldRetry: (error: unknown) => boolean;
      readonly retries?: number;
      readonly signal?: AbortSignal | undefined;
      readonly onRetry?: ((notice: RetryNotice) => void) | undefined;
    },
  ): Promise<T> {
    const { signal } = options;
    return pRetry(operation, {
      retries: options.retries ?? this.policy.retries,
      minTimeout: 0,
      maxTimeout: 0,
      ...(signal === undefined ? {} : { signal }),
      shouldRetry: ({ error }) => options.shouldRetry(error),
      onFailedAttempt: async (context) => {
        if (context.retriesLeft === 0 || !options.shouldRetry(context.error)) return;
        const delayMs = this.#backoff(context.retriesConsumed);
        const code = (context.error as { code?: unknown }).code;
        options.onRetry?.({
          attempt: context.attemptNumber,
          delayMs,
          ...(typeof code === 'string' ? { errorCode: code } : {}),
        });
        await sleep(delayMs, signal);
      },
    });
  }

  // A retryable answer becomes a RetryableAnswer to throw; undefined means the answer is final.
  #retryable(response: HttpResponse, idempotent: boolean): RetryableAnswer | undefined {
    if (this.policy.retries === 0 || !idempotent || !isRetryableStatus(response.status)) {
      return undefined;
    }
    const delayMs = retryAfterMs(response.headers['retry-after'], this.#now());
    if (delayMs !== undefined && delayMs > this.policy.maxRetryAfterMs) return undefined;
    return new RetryableAnswer(response, delayMs);
  }

  #backoff(retriesConsumed: number): number {
    const { minDelayMs, maxDelayMs } = this.policy;
    const base = Math.min(maxDelayMs, minDelayMs * 2 ** retriesConsumed);
    // Equal jitter: at least half the backoff, so callers in lockstep spread out.
    return Math.round(base / 2 + Math.random() * (base / 2));
  }
}
