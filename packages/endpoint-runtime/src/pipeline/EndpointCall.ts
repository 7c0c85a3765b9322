import type { AuthStrategy, Credentials, InstanceContext } from '@splice/core';
import type { HttpResponse } from '@splice/http';
import type { Dispatcher } from 'undici';

/**
 * The secret-free ids of a call, for layers that log, count or trace.
 *
 * @example
 * ```ts
 * logger.info('calling', { ...call.ids });
 * ```
 */
export interface CallIds {
  readonly connectorId: string;
  readonly authMethodId: string;
  readonly instanceId: string;
  readonly endpointId: string;
}

/**
 * One `callEndpoint` in flight, as the pipeline's layers see it: what is called, its state so far,
 * and the credentials and request of the current attempt. Everything a call needs travels on it,
 * so no layer keeps per-call state elsewhere.
 *
 * @example
 * ```ts
 * const logging: Layer = (next) => async (call) => {
 *   const response = await next(call);
 *   logger.info('endpoint answered', { ...call.ids, status: response.status, attempt: call.attempts });
 *   return response;
 * };
 * ```
 */
export interface EndpointCall {
  readonly ids: CallIds;
  /** The instance's strategy and its context. */
  readonly strategy: AuthStrategy;
  readonly context: InstanceContext;
  /** RFC 9110 §9.2.2: safe to repeat even when the server may have seen it. */
  readonly idempotent: boolean;
  readonly signal: AbortSignal | undefined;
  /** Attempts made by the retry layer so far (the replay after a refresh is not one). */
  attempts: number;
  /** Set once the auth layer refreshed: a call refreshes at most once, whatever happens. */
  refreshed: boolean;
  /** The credentials the current attempt is sent with (set by the auth layer). */
  credentials: Credentials | undefined;
  /** Credentials a refresh replaced during this call: scrubbed from errors like the current. */
  rejected: Credentials | undefined;
  /**
   * The request the layers below the auth layer send: rendered with `credentials`. It holds them:
   * a layer must never log its headers or query.
   */
  request: Dispatcher.RequestOptions | undefined;
  /** Renders the request of this call for `credentials` (apply last; SPEC §5 order). */
  prepare(credentials: Credentials): Dispatcher.RequestOptions;
}

/**
 * A pipeline stage's entry point: sends the call, resolves to the final answer (any status).
 *
 * @example
 * ```ts
 * const send: Send = composePipeline([retryLayer, authLayer], transport);
 * ```
 */
export type Send = (call: EndpointCall) => Promise<HttpResponse>;

/**
 * A pipeline layer, undici's interceptor shape: given the next stage, returns this stage. Rate
 * limit, retry and auth are layers; an engine adds its own (logging, circuit breaker, metrics)
 * through `createRuntime({ layers })` or the container (`RuntimeServices.Layer`).
 *
 * @example
 * ```ts
 * const timing: Layer = (next) => async (call) => {
 *   const started = performance.now();
 *   try { return await next(call); } finally { histogram.record(performance.now() - started); }
 * };
 * ```
 */
export type Layer = (next: Send) => Send;
