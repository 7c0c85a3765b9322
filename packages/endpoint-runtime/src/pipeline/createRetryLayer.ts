import type { Logger } from '@splice/core';
import { type HttpResponse, type RetryPolicy, RetryRule } from '@splice/http';
import type { EndpointCall, Layer } from './EndpointCall.js';

/**
 * The retry layer: the HTTP edge's one retry rule (`RetryRule`) around the rest of the pipeline —
 * network failures, 429 and 5xx, idempotent methods only unless nothing was sent, exponential
 * backoff with jitter or the wait `Retry-After` asks for, bounded by `policy`. Counts attempts on
 * the call. The first attempt is made here, so a call that succeeds builds nothing for retrying.
 *
 * @example
 * ```ts
 * const retry = createRetryLayer({ retries: 2, minDelayMs: 250, maxDelayMs: 30_000,
 *   maxRetryAfterMs: 30_000 }, Date.now, noopLogger);
 * ```
 */
export function createRetryLayer(policy: RetryPolicy, now: () => number, logger: Logger): Layer {
  const rule = new RetryRule(policy, 'ENDPOINT_REQUEST_FAILED', now);
  return (next) => {
    const again = (call: EndpointCall, first: HttpResponse | unknown): Promise<HttpResponse> =>
      rule.after(
        first,
        () => {
          call.attempts++;
          return next(call);
        },
        {
          idempotent: call.idempotent,
          signal: call.signal,
          onRetry: (notice) =>
            logger.debug('Retrying endpoint request', { ...call.ids, ...notice }),
        },
      );
    return async function retry(call) {
      call.attempts++;
      let response: HttpResponse;
      try {
        response = await next(call);
      } catch (error) {
        if (!rule.mayRetry(error, call.idempotent)) throw error;
        return again(call, error);
      }
      return rule.isFinal(response, call.idempotent) ? response : again(call, response);
    };
  };
}
