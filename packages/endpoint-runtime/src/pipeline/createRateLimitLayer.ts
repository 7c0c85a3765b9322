import type Bottleneck from 'bottleneck';
import type { Send } from './EndpointCall.js';

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
