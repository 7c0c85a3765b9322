import type { AuthStrategy, Credentials, InstanceContext } from '@splice/core';
import type { Dispatcher } from 'undici';
import type { CallIds, EndpointCall } from '../pipeline/EndpointCall.js';
import type { CallInput } from '../RuntimeOptions.js';
import type { EndpointRequest } from './EndpointRequest.js';

/**
 * The state of one `callEndpoint` while it runs: made per call, never shared, so the credentials
 * and request of each attempt belong to this call alone (two overlapping calls across a credential
 * change each scrub their own).
 *
 * @example
 * ```ts
 * const call = new ActiveCall(session.endpoint('list-orders'), input);
 * const response = await session.send(call);
 * ```
 */
export class ActiveCall implements EndpointCall {
  readonly endpoint: EndpointRequest;
  readonly input: CallInput;
  readonly signal: AbortSignal | undefined;
  attempts = 0;
  refreshed = false;
  credentials: Credentials | undefined = undefined;
  rejected: Credentials | undefined = undefined;
  request: Dispatcher.RequestOptions | undefined = undefined;

  constructor(endpoint: EndpointRequest, input: CallInput) {
    this.endpoint = endpoint;
    this.input = input;
    this.signal = input.signal;
  }

  get ids(): CallIds {
    return this.endpoint.ids;
  }

  get strategy(): AuthStrategy {
    return this.endpoint.session.method.strategy;
  }

  get context(): InstanceContext {
    return this.endpoint.session.context;
  }

  get idempotent(): boolean {
    return this.endpoint.compiled.idempotent;
  }

  prepare(credentials: Credentials): Dispatcher.RequestOptions {
    return this.endpoint.prepare(credentials, this.input);
  }
}
