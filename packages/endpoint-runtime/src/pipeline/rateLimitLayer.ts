import type { RateLimit, RateLimitUnit } from '@splice/core';
import type Bottleneck from 'bottleneck';
import type { Send } from './EndpointCall.js';

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

/**
 * The rate-limit layer: every call of the instance goes through its bottleneck limiter, so calls
 * over the limit wait in the queue — none is dropped. Only built for instances that have a rate
 * limit: the others skip the layer entirely.
 *
 * @example
 * ```ts
 * const send = createRateLimitLayer(retryLayer, new Bottleneck(limiterOptions(limit)));
 * ```
 */
export function createRateLimitLayer(next: Send, limiter: Bottleneck): Send {
  return (call) => limiter.schedule(next, call);
}
