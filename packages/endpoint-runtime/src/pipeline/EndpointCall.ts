import type { AuthStrategy, Credentials, InstanceContext } from '@splice/core';
import type { Dispatcher } from 'undici';
import type { CallInput } from '../RuntimeOptions.js';

/**
 * Response headers as undici gives them: lower-case names.
 *
 * @example
 * ```ts
 * const retryAfter = response.headers['retry-after'];
 * ```
 */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * An HTTP answer with its body read (bounded).
 *
 * @example
 * ```ts
 * const { status, headers, body } = await transport(request);
 * ```
 */
export interface EndpointResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  readonly body: string;
}

/**
 * What the auth layer needs from the endpoint being called: the instance's strategy and context,
 * and a way to turn credentials into the request to send.
 *
 * @example
 * ```ts
 * const request = call.target.prepare(await call.target.strategy.getCredentials(call.target.context), call);
 * ```
 */
export interface CallTarget {
  readonly strategy: AuthStrategy;
  readonly context: InstanceContext;
  /** Whether repeating the request is safe even when the server may have seen it. */
  readonly idempotent: boolean;
  /** The undici request for `credentials` (cached when the call has no per-call parts). */
  prepare(credentials: Credentials, call: EndpointCall): Dispatcher.RequestOptions;
}

/**
 * One `callEndpoint` in flight: what is called, with what, and what happened so far.
 *
 * @example
 * ```ts
 * const call: EndpointCall = { target, input: {}, signal: undefined, attempts: 0, refreshed: false };
 * ```
 */
export interface EndpointCall {
  readonly target: CallTarget;
  readonly input: CallInput;
  readonly signal: AbortSignal | undefined;
  /** Attempts made by the retry layer so far (the replay after a refresh is not one). */
  attempts: number;
  /** Set once the auth layer refreshed: a call refreshes at most once, whatever happens. */
  refreshed: boolean;
}

/**
 * A pipeline layer's entry point: sends the call, resolves to the final answer (any status).
 *
 * @example
 * ```ts
 * const send: Send = createRetryLayer(createAuthLayer(transport, logger), policy, Date.now, logger);
 * ```
 */
export type Send = (call: EndpointCall) => Promise<EndpointResponse>;

/**
 * The bottom of the pipeline: one HTTP exchange.
 *
 * @example
 * ```ts
 * const transport: Transport = createTransport(new Agent(), 16 * 1024 * 1024);
 * ```
 */
export type Transport = (request: Dispatcher.RequestOptions) => Promise<EndpointResponse>;
