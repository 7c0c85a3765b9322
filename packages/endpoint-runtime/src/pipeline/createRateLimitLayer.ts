import type Bottleneck from 'bottleneck';
import type { EndpointCall, EndpointResponse, Send } from './EndpointCall.js';

/**
 * The rate-limit layer: every call of the instance goes through its bottleneck limiter, so calls
 * over the limit wait in the queue — none is dropped. Only built for instances that have a rate
 * limit: the others skip the layer entirely.
 *
 * A call whose `signal` aborts while it waits rejects at once with the abort reason; its slot in
 * the queue, when it comes, sends nothing.
 *
 * @example
 * ```ts
 * const send = createRateLimitLayer(retryLayer, new Bottleneck(limiterOptions(limit)));
 * ```
 */
export function createRateLimitLayer(next: Send, limiter: Bottleneck): Send {
  const run = (call: EndpointCall): Promise<EndpointResponse> => {
    call.signal?.throwIfAborted();
    return next(call);
  };
  return (call) => {
    const { signal } = call;
    if (signal === undefined) return limiter.schedule(run, call);
    signal.throwIfAborted();
    return new Promise<EndpointResponse>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      limiter.schedule(run, call).then(
        (response) => {
          signal.removeEventListener('abort', onAbort);
          resolve(response);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  };
}
