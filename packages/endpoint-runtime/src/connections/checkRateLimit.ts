import { invalidArgument, type RateLimit } from '@splice/core';

const UNITS = new Set(['second', 'minute', 'hour', 'day']);

/**
 * Checks an instance's own rate limit: `{ amount: positive integer, unit }`.
 *
 * @example
 * ```ts
 * checkRateLimit({ amount: 5, unit: 'second' });
 * ```
 */
export function checkRateLimit(rateLimit: unknown): RateLimit | undefined {
  if (rateLimit === undefined) return undefined;
  const { amount, unit } = (rateLimit ?? {}) as { amount?: unknown; unit?: unknown };
  if (
    typeof amount !== 'number' ||
    !Number.isInteger(amount) ||
    amount < 1 ||
    typeof unit !== 'string' ||
    !UNITS.has(unit)
  ) {
    throw invalidArgument(
      '"rateLimit" must be { amount: a whole number >= 1, unit: "second" | "minute" | "hour" | "day" }',
    );
  }
  return { amount, unit: unit as RateLimit['unit'] };
}
