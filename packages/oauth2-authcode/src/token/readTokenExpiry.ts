import { readPath } from '@splice/core';

/**
 * The expiry a token response states, as the strategy reads it. `field` is where it was read
 * (`expiresInKey`, or `expires_at` when that key is absent, `null` or empty), undefined when the
 * response states none. `expiresAt` is epoch milliseconds, undefined when the expiry is unknown:
 * none stated, or stated unusably.
 */
export interface TokenExpiry {
  readonly field: string | undefined;
  readonly expiresAt: number | undefined;
}

// Epoch ms a JavaScript `Date` can hold (ECMA-262 §21.4.1.22: ±8.64e15); beyond it an expiry
// is no date (`expires_in: 1e20`), and `new Date(ms).toISOString()` would throw where it is shown.
const MAX_DATE_MS = 8.64e15;
const isDate = (ms: number): boolean => Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS;

/** Seconds from a number or numeric string; NaN when neither. */
function seconds(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return Number.NaN;
}

/** `expires_at` as epoch seconds, epoch milliseconds, or a date string; NaN when unreadable. */
function absolute(value: unknown): number {
  const n = seconds(value);
  if (!Number.isNaN(n)) return n > 1e12 ? n : n * 1000;
  if (typeof value === 'string') return Date.parse(value);
  return Number.NaN;
}

const stated = (value: unknown): boolean => value !== undefined && value !== null && value !== '';

/**
 * Reads the access token's expiry from a parsed token response `body` received at `now` (epoch
 * ms): the lifetime in seconds at `expiresInKey` (a dotted path; a number or numeric string, at
 * least 0), else an absolute `expires_at` (epoch seconds, epoch milliseconds or a date string).
 * A value beyond what a `Date` holds counts as unusable.
 *
 * An expiry stated unusably (negative, not a number, beyond any date) is read as unknown, never
 * as a refusal: the provider has issued these tokens, and a rotated refresh token among them is
 * the only one that still works (RFC 6749 §6, §10.4). An access token of unknown expiry is used
 * until the API refuses it, then refreshed (within the refresh budget). Never throws.
 *
 * @example
 * ```ts
 * readTokenExpiry({ expires_in: 60 }, 'expires_in', 1_000_000); // { field: 'expires_in', expiresAt: 1_060_000 }
 * readTokenExpiry({ expires_in: 'soon' }, 'expires_in', 0);     // { field: 'expires_in', expiresAt: undefined }
 * readTokenExpiry({}, 'expires_in', 0);                         // { field: undefined, expiresAt: undefined }
 * ```
 */
export function readTokenExpiry(body: unknown, expiresInKey: string, now: number): TokenExpiry {
  const expiresIn = readPath(body, expiresInKey);
  if (stated(expiresIn)) {
    const s = seconds(expiresIn);
    const ms = now + s * 1000;
    return { field: expiresInKey, expiresAt: s >= 0 && isDate(ms) ? ms : undefined };
  }
  const at = readPath(body, 'expires_at');
  if (stated(at)) {
    const ms = absolute(at);
    return { field: 'expires_at', expiresAt: isDate(ms) ? ms : undefined };
  }
  return { field: undefined, expiresAt: undefined };
}
