/**
 * How requests are retried, with every bound in milliseconds.
 *
 * @example
 * ```ts
 * const policy: RetryPolicy = { retries: 2, minDelayMs: 250, maxDelayMs: 30_000,
 *   maxRetryAfterMs: 30_000 };
 * ```
 */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 turns retrying off. */
  readonly retries: number;
  /** Backoff before the first retry, doubled for each further one (with equal jitter). */
  readonly minDelayMs: number;
  /** Upper bound of one backoff wait. */
  readonly maxDelayMs: number;
  /**
   * The longest `Retry-After` waited for. An answer asking for longer is not retried: it is
   * returned as the final answer, so the caller reports its real status and headers.
   */
  readonly maxRetryAfterMs: number;
}
