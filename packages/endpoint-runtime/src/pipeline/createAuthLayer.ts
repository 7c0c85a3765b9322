import type { Logger } from '@splice/core';
import type { Layer } from './EndpointCall.js';
import { signRequest } from './signRequest.js';

/**
 * The auth layer: gets usable credentials from the instance's strategy (from its cache on the hot
 * path), has the call render its request with them — the strategy's `apply` last — and sends it.
 * When the strategy recognises the answer — of any status — as an expired credential
 * (`isExpiredResponse`), it
 * refreshes once (`refresh`, which reuses a token another caller already renewed) and replays the
 * request once. A call never refreshes twice, even across retries: no loop is possible (SPEC §4
 * step 5). The credentials each attempt used travel on the call, for scrubbing.
 *
 * A strategy with `sign` (OAuth 1, HMAC request signing) signs each request after it is rendered,
 * once per attempt: the retry layer above re-enters here, so every retry and the replay get a
 * fresh signature. For every other strategy the request goes out as rendered.
 *
 * @example
 * ```ts
 * const send = composePipeline([createAuthLayer(noopLogger)], transport);
 * ```
 */
export function createAuthLayer(logger: Logger): Layer {
  return (next) =>
    async function auth(call) {
      const { strategy, context } = call;
      const credentials = await strategy.getCredentials(context);
      call.credentials = credentials;
      call.request = call.prepare(credentials);
      if (strategy.sign !== undefined)
        call.request = await signRequest(strategy, context, call.request, credentials);
      const response = await next(call);
      // Any status: some APIs report an expired token inside a 200 (the strategy decides).
      if (
        call.refreshed ||
        strategy.refresh === undefined ||
        strategy.isExpiredResponse?.(context, response) !== true
      ) {
        return response;
      }
      call.refreshed = true;
      logger.debug('Endpoint answered with an expired credential: refreshing and replaying once', {
        instanceId: call.ids.instanceId,
        status: response.status,
      });
      const fresh = await strategy.refresh(context, credentials);
      call.rejected = credentials;
      call.credentials = fresh;
      call.request = call.prepare(fresh);
      if (strategy.sign !== undefined)
        call.request = await signRequest(strategy, context, call.request, fresh);
      return next(call);
    };
}
