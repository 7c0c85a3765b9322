import { invalidArgument } from '@splice/core';
import type { RetryPolicy } from '@splice/http';
import { DEFAULT_SESSION_CACHE_SIZE, DEFAULT_STATUS_RECHECK_MS } from '../calls/Sessions.js';
import type { RetryOptions, RuntimeOptions } from '../RuntimeOptions.js';

/**
 * Checked runtime settings that are not services of their own.
 *
 * @example
 * ```ts
 * const settings: RuntimeSettings = resolveSettings(options);
 * ```
 */
export interface RuntimeSettings {
  readonly retry: RetryPolicy;
  readonly maxResponseBytes: number;
  /** See `RuntimeOptions.statusRecheckMs`. */
  readonly statusRecheckMs: number;
  /** Most instance sessions kept loaded; see `RuntimeOptions.sessionCacheSize`. */
  readonly sessionCacheSize: number;
  /** True when the runtime made the dispatcher and must close it. */
  readonly ownsDispatcher: boolean;
  /** True when the runtime made the (memory) store and must close it. */
  readonly ownsStore: boolean;
}

const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

function wholeNumber(value: unknown, name: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw invalidArgument(
      `"${name}" must be a whole number >= ${min}, got ${String(value)}`,
      'INVALID_OPTION',
    );
  }
  return value;
}

/**
 * Checks the numeric options of `createRuntime` and fills in defaults.
 *
 * @example
 * ```ts
 * resolveSettings({ connectors: [], retry: { retries: 0 } }).retry.retries; // 0
 * ```
 */
export function resolveSettings(options: RuntimeOptions): RuntimeSettings {
  const retry: RetryOptions = options.retry ?? {};
  const minDelayMs = wholeNumber(retry.minDelayMs, 'retry.minDelayMs', 250, 0);
  const maxDelayMs = wholeNumber(retry.maxDelayMs, 'retry.maxDelayMs', 30_000, 0);
  if (maxDelayMs < minDelayMs) {
    throw invalidArgument(
      `"retry.maxDelayMs" (${maxDelayMs}) must be >= "retry.minDelayMs" (${minDelayMs})`,
      'INVALID_OPTION',
    );
  }
  return {
    retry: {
      retries: wholeNumber(retry.retries, 'retry.retries', 2, 0),
      minDelayMs,
      maxDelayMs,
      // One bound for both waits: a Retry-After longer than the longest backoff is not waited for.
      maxRetryAfterMs: maxDelayMs,
    },
    maxResponseBytes: wholeNumber(
      options.maxResponseBytes,
      'maxResponseBytes',
      DEFAULT_MAX_RESPONSE_BYTES,
      1,
    ),
    statusRecheckMs: wholeNumber(
      options.statusRecheckMs,
      'statusRecheckMs',
      DEFAULT_STATUS_RECHECK_MS,
      0,
    ),
    sessionCacheSize: wholeNumber(
      options.sessionCacheSize,
      'sessionCacheSize',
      DEFAULT_SESSION_CACHE_SIZE,
      2,
    ),
    ownsDispatcher: options.dispatcher === undefined,
    ownsStore: options.store === undefined,
  };
}
