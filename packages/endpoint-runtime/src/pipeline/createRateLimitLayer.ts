import type { HttpResponse } from '@splice/http';
import type Bottleneck from 'bottleneck';
import type { EndpointCall, Layer } from './EndpointCall.js';

/**
 * The rate-limit layer: every call of the instance goes through its bottleneck limiter, so calls
 * over the limit wait in the queue — none is dropped. Only instances that have a rate limit get
 * the layer.
 *
 * A call whose `signal` aborts while it waits rejects at once with the abort reason; its slot in
 * the queue, when it comes, sends nothing.
 *
 * @example
 * ```ts
 * const rateLimit = createRateLimitLayer(new Bottleneck(limiterOptions(limit)));
 * ```
 */
export function createRateLimitLayer(limiter: Bottleneck): Layer {
  return (next) => {
    const run = (call: EndpointCall): Promise<HttpResponse> => {
      call.signal?.throwIfAborted();
      return next(call);
    };
    return (call) => {
      const { signal } = call;
      if (signal === undefined) return limiter.schedule(run, call);
      signal.throwIfAborted();
      return new Promise<HttpResponse>((resolve, reject) => {
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
  };
}
