import { invalidArgument } from '@splice/core';
import type { RetryPolicy } from '@splice/http';

/** Options every strategy of this package takes. Every field is optional. */
export interface StrategyOptions {
  /**
   * Retries of transient failures (network, 5xx, 429) of the strategy's own requests — the
   * credential check at `urls.test`, OAuth 1's credential requests; default 2, 0 disables.
   * Backoff starts at 250 ms and doubles (with jitter) up to 4 s; a `Retry-After` over 30 s is
   * not waited for.
   */
  readonly retries?: number;
}

/** {@link StrategyOptions} checked, with defaults filled in. */
export interface ResolvedStrategyOptions {
  /** The retry policy of the strategy's requests (the HTTP edge's one retry rule). */
  readonly retry: RetryPolicy;
}

/**
 * Checks a strategy factory's options at once — a coded `TypeError` (`INVALID_OPTION`) names the
 * bad or unknown one — and fills the defaults.
 *
 * @example
 * ```ts
 * resolveStrategyOptions('tokenAuth', { retries: 0 }).retry.retries; // 0
 * ```
 */
export function resolveStrategyOptions(
  factory: string,
  options: StrategyOptions = {},
): ResolvedStrategyOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidArgument(`${factory}(options): options must be an object`, 'INVALID_OPTION');
  }
  for (const key of Object.keys(options)) {
    if (key !== 'retries') {
      throw invalidArgument(
        `${factory} option "${key}" is unknown; known options: retries`,
        'INVALID_OPTION',
      );
    }
  }
  const retries = options.retries ?? 2;
  if (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0 || retries > 10) {
    throw invalidArgument(
      `${factory} option "retries" must be a whole number from 0 to 10, got ${String(retries)}`,
      'INVALID_OPTION',
    );
  }
  return {
    retry: Object.freeze({ retries, minDelayMs: 250, maxDelayMs: 4000, maxRetryAfterMs: 30_000 }),
  };
}
