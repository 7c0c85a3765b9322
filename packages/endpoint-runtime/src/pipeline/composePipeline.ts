import type { Layer, Send } from './EndpointCall.js';

/**
 * The one place the request pipeline is put together: `layers` in order, outermost first, over
 * `transport`. `composePipeline([rateLimit, retry, auth], transport)` is
 * `rateLimit(retry(auth(transport)))`.
 *
 * @example
 * ```ts
 * const send = composePipeline([createRetryLayer(policy, now, logger), createAuthLayer(logger)],
 *   createTransport(agent, maxBytes));
 * ```
 */
export function composePipeline(layers: readonly Layer[], transport: Send): Send {
  let send = transport;
  for (let i = layers.length - 1; i >= 0; i--) send = layers[i]!(send);
  return send;
}
