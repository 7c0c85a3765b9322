import type { Credentials, InstanceContext, InstanceRecord, Logger, Store } from '@splice/core';
import type Bottleneck from 'bottleneck';
import type { CompiledConnector, CompiledMethod } from '../connector/CompiledConnector.js';
import { EndpointTarget } from '../endpoint/EndpointTarget.js';
import { endpointNotEnabled } from '../endpoint/endpointNotEnabled.js';
import { endpointNotFound } from '../endpoint/endpointNotFound.js';
import { sameCredentials } from '../endpoint/sameCredentials.js';
import type { Send } from '../pipeline/EndpointCall.js';

/**
 * What every instance context shares: the runtime's services.
 *
 * @example
 * ```ts
 * new InstanceState(record, connector, method, { store, logger, now, dispatcher, callbackUrl }, send, undefined);
 * ```
 */
export interface ContextServices {
  readonly store: Store;
  readonly logger: Logger;
  readonly now: () => number;
  readonly dispatcher: object;
  readonly callbackUrl: string | undefined;
}

/**
 * Rendered `apply` of one credentials object.
 *
 * @example
 * ```ts
 * for (const [name, value] of state.applyFor(credentials).headers) headers[name] = value;
 * ```
 */
export interface RenderedApply {
  readonly headers: readonly (readonly [string, string])[];
  readonly query: readonly (readonly [string, string])[];
}

/**
 * Everything the runtime keeps per loaded instance so that a call does no repeated work: the
 * strategy's context, resolved variable values, the rate limiter and pipeline entry, the rendered
 * `apply` of the current credentials and one {@link EndpointTarget} per endpoint called.
 *
 * @example
 * ```ts
 * const state = new InstanceState(record, connector, method, services, send, undefined);
 * const target = state.target('list-orders'); // throws ENDPOINT_NOT_FOUND / ENDPOINT_NOT_ENABLED
 * ```
 */
export class InstanceState {
  readonly connector: CompiledConnector;
  readonly method: CompiledMethod;
  readonly send: Send;
  readonly limiter: Bottleneck | undefined;
  /** Saved values over definition defaults (connector and auth variables). */
  readonly values: Readonly<Record<string, string>>;
  #record: InstanceRecord;
  #context: InstanceContext;
  readonly #services: ContextServices;
  readonly #targets = new Map<string, EndpointTarget>();
  #applyFor: Credentials | undefined;
  #apply: RenderedApply | undefined;

  constructor(
    record: InstanceRecord,
    connector: CompiledConnector,
    method: CompiledMethod,
    services: ContextServices,
    send: Send,
    limiter: Bottleneck | undefined,
  ) {
    this.connector = connector;
    this.method = method;
    this.send = send;
    this.limiter = limiter;
    this.#services = services;
    this.values = { ...method.defaults, ...record.variables };
    this.#record = record;
    this.#context = this.#makeContext(record);
  }

  #makeContext(record: InstanceRecord): InstanceContext {
    const { store, logger, now, dispatcher, callbackUrl } = this.#services;
    return {
      connector: this.connector.definition,
      method: this.method.definition,
      values: this.values,
      ...(callbackUrl === undefined ? {} : { callbackUrl }),
      store,
      dispatcher,
      logger,
      now,
      instance: record,
    };
  }

  get record(): InstanceRecord {
    return this.#record;
  }

  get context(): InstanceContext {
    return this.#context;
  }

  /** Replaces the record (status change); the context follows. */
  update(record: InstanceRecord): void {
    this.#record = record;
    this.#context = this.#makeContext(record);
  }

  /** The callable endpoint `endpointId`, gated by the instance's auth method. */
  target(endpointId: string): EndpointTarget {
    const cached = this.#targets.get(endpointId);
    if (cached !== undefined) return cached;
    const endpoint = this.connector.endpoints.get(endpointId);
    if (endpoint === undefined) throw endpointNotFound(this.connector, endpointId);
    if (!endpoint.enabledFor.has(this.method.definition.id)) {
      throw endpointNotEnabled(this.connector, endpoint, this.#record);
    }
    const target = new EndpointTarget(this, endpoint);
    this.#targets.set(endpointId, target);
    return target;
  }

  /** The method's `apply` rendered for `credentials`; cached for the current credentials. */
  applyFor(credentials: Credentials): RenderedApply {
    if (this.#apply !== undefined && sameCredentials(this.#applyFor, credentials)) {
      this.#applyFor = credentials;
      return this.#apply;
    }
    const values = { ...this.values, ...credentials.values };
    const { apply } = this.method;
    const rendered: RenderedApply = {
      headers: apply.headers.map(([name, template]) => [name, template.render(values)] as const),
      query: apply.query.map(([name, template]) => [name, template.render(values)] as const),
    };
    this.#applyFor = credentials;
    this.#apply = rendered;
    return rendered;
  }

  /** Values that must never appear in an error: secret variables and credential values. */
  secrets(credentials: Credentials | undefined): string[] {
    const out: string[] = [];
    for (const key of this.method.secretKeys) {
      const value = this.#record.variables[key];
      if (value !== undefined) out.push(value);
    }
    if (credentials !== undefined) out.push(...Object.values(credentials.values));
    return out;
  }

  /** Releases the rate limiter. */
  async dispose(): Promise<void> {
    await this.limiter?.disconnect();
  }
}
