import { invalidArgument } from '@splice/core';
import type { RetryPolicy } from '@splice/http';
import type { RefreshBudgetLimits } from './refresh/RefreshBudget.js';

/** Options of `oauth2AuthorizationCode()`. Every field is optional. */
export interface OAuth2AuthorizationCodeOptions {
  /** Refresh an access token this many seconds before it expires; default 60. */
  readonly refreshSkewSeconds?: number;
  /** Retries of transient token-endpoint failures (network, 5xx, 429); default 2, 0 disables. */
  readonly retries?: number;
  /** First retry delay in milliseconds; default 250 (doubles per retry, with jitter). */
  readonly retryMinDelayMs?: number;
  /** Longest retry delay in milliseconds; default 4000. */
  readonly retryMaxDelayMs?: number;
  /**
   * Longest `Retry-After` waited for, in seconds; default 30. An answer asking for longer is not
   * retried: it is judged as the final answer (`TOKEN_REQUEST_FAILED` with its status).
   */
  readonly maxRetryAfterSeconds?: number;
  /**
   * How long a caller waits for another process's refresh of the same instance before giving up
   * with `TIMEOUT`, in milliseconds; default: the method's timeout plus 5 s.
   */
  readonly lockWaitMs?: number;
  /**
   * At most `refreshes` refresh requests per instance within `perSeconds`, per process; the next
   * caller gets `REFRESH_LIMITED` until the window moves on. Default `{ refreshes: 5, perSeconds:
   * 60 }`. Bounds refresh amplification: tokens issued already expired (`expires_in: 0`, an
   * `expires_at` in the past) or an API answering 401 to every token.
   */
  readonly refreshBudget?: { readonly refreshes: number; readonly perSeconds: number };
}

/** {@link OAuth2AuthorizationCodeOptions} with defaults filled in. */
export interface ResolvedOptions {
  readonly refreshSkewMs: number;
  /** The token requests' retry policy (the HTTP edge's one retry rule). */
  readonly retry: RetryPolicy;
  readonly lockWaitMs: number | undefined;
  readonly refreshBudget: RefreshBudgetLimits;
}

function number(
  factory: string,
  options: OAuth2AuthorizationCodeOptions,
  key: keyof OAuth2AuthorizationCodeOptions,
  fallback: number,
  integer: boolean,
): number {
  const value = options[key];
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw invalidArgument(
      `${factory} option "${key}" must be a ${integer ? 'whole ' : ''}number >= 0, got ${String(value)}`,
      'INVALID_OPTION',
    );
  }
  return value;
}

/**
 * Checks the options at once (a coded `TypeError` names the bad one) and fills defaults. The
 * client-credentials strategy takes the same options; `factory` names the function in messages.
 *
 * @example
 * ```ts
 * resolveOptions({ refreshSkewSeconds: 120 }).refreshSkewMs; // 120000
 * ```
 */
export function resolveOptions(
  options: OAuth2AuthorizationCodeOptions = {},
  factory = 'oauth2AuthorizationCode',
): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidArgument(`${factory}(options): options must be an object`, 'INVALID_OPTION');
  }
  const known = new Set([
    'refreshSkewSeconds',
    'retries',
    'retryMinDelayMs',
    'retryMaxDelayMs',
    'maxRetryAfterSeconds',
    'lockWaitMs',
    'refreshBudget',
  ]);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      throw invalidArgument(
        `${factory} option "${key}" is unknown; known options: ${[...known].join(', ')}`,
        'INVALID_OPTION',
      );
    }
  }
  const lockWait =
    options.lockWaitMs === undefined ? undefined : number(factory, options, 'lockWaitMs', 0, false);
  return {
    refreshSkewMs: number(factory, options, 'refreshSkewSeconds', 60, false) * 1000,
    retry: {
      retries: number(factory, options, 'retries', 2, true),
      minDelayMs: number(factory, options, 'retryMinDelayMs', 250, false),
      maxDelayMs: number(factory, options, 'retryMaxDelayMs', 4000, false),
      maxRetryAfterMs: number(factory, options, 'maxRetryAfterSeconds', 30, false) * 1000,
    },
    lockWaitMs: lockWait,
    refreshBudget: refreshBudget(factory, options.refreshBudget),
  };
}

function refreshBudget(factory: string, value: unknown): RefreshBudgetLimits {
  if (value === undefined) return { refreshes: 5, intervalMs: 60_000 };
  const { refreshes, perSeconds } = (value ?? {}) as Record<string, unknown>;
  if (
    typeof refreshes !== 'number' ||
    !Number.isInteger(refreshes) ||
    refreshes < 1 ||
    typeof perSeconds !== 'number' ||
    !Number.isFinite(perSeconds) ||
    perSeconds <= 0
  ) {
    throw invalidArgument(
      `${factory} option "refreshBudget" must be { refreshes: whole number >= 1, perSeconds: number > 0 }`,
      'INVALID_OPTION',
    );
  }
  return { refreshes, intervalMs: perSeconds * 1000 };
}
