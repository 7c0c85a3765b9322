import type { RateLimit, RateLimitUnit } from '@splice/core';
import type Bottleneck from 'bottleneck';

const UNIT_MS: Readonly<Record<RateLimitUnit, number>> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/**
 * Bottleneck options for a rate limit. Per second: starts are spaced evenly (`minTime`), which
 * never exceeds the limit under any window the provider may count in. Per minute, hour or day: a
 * reservoir of `amount` refilled every unit, so a burst may use the whole window's quota at once
 * instead of waiting minutes between calls.
 *
 * @example
 * ```ts
 * limiterOptions({ amount: 5, unit: 'second' }); // { minTime: 200 }
 * ```
 */
export function limiterOptions(rateLimit: RateLimit): Bottleneck.ConstructorOptions {
  const unitMs = UNIT_MS[rateLimit.unit];
  if (rateLimit.unit === 'second') return { minTime: Math.ceil(unitMs / rateLimit.amount) };
  return {
    reservoir: rateLimit.amount,
    reservoirRefreshAmount: rateLimit.amount,
    reservoirRefreshInterval: unitMs,
  };
}
