import type { Logger } from '@splice/core';
import type { Send, Transport } from './EndpointCall.js';

/**
 * The auth layer: gets usable credentials from the instance's strategy (from its cache on the hot
 * path), has the target render the request with them — the strategy's `apply` last — and sends
 * it. When the strategy recognises the answer as an expired credential (`isExpiredResponse`), it
 * refreshes once (`refresh`, which reuses a token another caller already renewed) and replays the
 * request once. A call never refreshes twice, even across retries: no loop is possible (SPEC §4
 * step 5).
 *
 * @example
 * ```ts
 * const send = createAuthLayer(createTransport(agent, 1 << 20), noopLogger);
 * ```
 */
export function createAuthLayer(transport: Transport, logger: Logger): Send {
  return async function auth(call) {
    const { target } = call;
    const { strategy } = target;
    const context = target.context;
    const credentials = await strategy.getCredentials(context);
    const response = await transport(target.prepare(credentials, call));
    if (
      response.status < 400 ||
      call.refreshed ||
      strategy.refresh === undefined ||
      strategy.isExpiredResponse?.(context, response) !== true
    ) {
      return response;
    }
    call.refreshed = true;
    logger.debug('Endpoint answered with an expired credential: refreshing and replaying once', {
      instanceId: context.instance.id,
      status: response.status,
    });
    const fresh = await strategy.refresh(context, credentials);
    return transport(target.prepare(fresh, call));
  };
}
