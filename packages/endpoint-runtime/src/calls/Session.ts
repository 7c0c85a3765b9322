import type { Credentials, InstanceContext, InstanceRecord } from '@splice/core';
import type Bottleneck from 'bottleneck';
import type { AuthServices } from '../catalog/AuthServices.js';
import { authContext } from '../catalog/authContext.js';
import type { CompiledConnector, CompiledMethod } from '../catalog/CompiledConnector.js';
import type { ConnectorCatalog } from '../catalog/ConnectorCatalog.js';
import type { Send } from '../pipeline/EndpointCall.js';
import { EndpointRequest } from './EndpointRequest.js';
import type { InstanceSession, RenderedApply } from './InstanceSession.js';
import { sameCredentials } from './sameCredentials.js';

/**
 * What the runtime keeps per loaded instance so that a call does no repeated work: the
 * strategy's context, the rate limiter and the composed pipeline, the rendered `apply` of the
 * current credentials and one {@link EndpointRequest} per endpoint called. Built by `Sessions`.
 *
 * @example
 * ```ts
 * const session = new Session(record, connector, method, catalog, services, send, undefined);
 * const request = session.endpoint('list-orders'); // ENDPOINT_NOT_FOUND / ENDPOINT_NOT_ENABLED
 * ```
 */
export class Session implements InstanceSession {
  readonly connector: CompiledConnector;
  readonly method: CompiledMethod;
  /** The instance's pipeline: rate limit (when it has one) → retry → auth → layers → transport. */
  readonly send: Send;
  readonly limiter: Bottleneck | undefined;
  readonly #catalog: ConnectorCatalog;
  /** The first endpoint called (most instances call one or two), then the others by id. */
  #first: EndpointRequest | undefined;
  #others: Map<string, EndpointRequest> | undefined;
  #record: InstanceRecord;
  #context: InstanceContext;
  /** When the record was last read from the store (epoch ms): `Sessions.current` rechecks. */
  readAt: number;
  #apply: { readonly credentials: Credentials; readonly rendered: RenderedApply } | undefined;

  constructor(
    record: InstanceRecord,
    connector: CompiledConnector,
    method: CompiledMethod,
    catalog: ConnectorCatalog,
    services: AuthServices,
    send: Send,
    limiter: Bottleneck | undefined,
  ) {
    this.connector = connector;
    this.method = method;
    this.send = send;
    this.limiter = limiter;
    this.#catalog = catalog;
    this.#record = record;
    this.#context = authContext(connector, method, services, [record.variables], record);
    this.readAt = services.now();
  }

  get record(): InstanceRecord {
    return this.#record;
  }

  /** The strategy's context of this instance. */
  get context(): InstanceContext {
    return this.#context;
  }

  /** Replaces the record after a status change (as just read from the store); the context follows. */
  update(record: InstanceRecord): void {
    this.#record = record;
    this.readAt = this.#context.now();
    this.#context = { ...this.#context, instance: record };
  }

  /** The callable endpoint `endpointId`, gated by the instance's auth method. */
  endpoint(endpointId: string): EndpointRequest {
    const first = this.#first;
    if (first?.compiled.definition.id === endpointId) return first;
    let request = this.#others?.get(endpointId);
    if (request === undefined) {
      const compiled = this.#catalog.endpoint(this.connector, this.#record, endpointId);
      request = new EndpointRequest(this, compiled);
      if (first === undefined) this.#first = request;
      else {
        this.#others ??= new Map();
        this.#others.set(endpointId, request);
      }
    }
    return request;
  }

  /** The method's `apply` rendered for `credentials`; kept while the credentials stay the same. */
  applyFor(credentials: Credentials): RenderedApply {
    const cached = this.#apply;
    if (cached !== undefined && sameCredentials(cached.credentials, credentials)) {
      return cached.rendered;
    }
    const values = {
      ...this.#context.values,
      ...this.#record.captured,
      ...credentials.captured,
      ...credentials.values,
    };
    const { apply } = this.method;
    const rendered: RenderedApply = {
      headers: apply.headers.map(([name, template]) => [name, template.render(values)] as const),
      query: apply.query.map(([name, template]) => [name, template.render(values)] as const),
    };
    this.#apply = { credentials, rendered };
    return rendered;
  }

  /**
   * Values that must never appear in an error: the value of each secret connector or auth
   * variable, wherever it came from (saved on the instance or the definition's default), and
   * every value of the given credentials (a call's current and replaced ones).
   */
  secrets(...credentials: readonly (Credentials | undefined)[]): string[] {
    const out: string[] = [];
    const { values } = this.#context;
    const captured = this.#record.captured;
    for (const key of this.method.secretKeys) {
      const value = values[key];
      if (value !== undefined) out.push(value);
      const held = captured?.[key];
      if (held !== undefined) out.push(held);
    }
    for (const item of credentials) {
      if (item === undefined) continue;
      out.push(...Object.values(item.values));
      // Captured values the strategy keeps with the credentials: the secret ones.
      for (const key of this.method.secretKeys) {
        const value = item.captured?.[key];
        if (value !== undefined) out.push(value);
      }
    }
    return out;
  }

  /**
   * Unloads the instance: the strategy drops what it keeps in memory for it (`release`), and the
   * rate limiter is released. A `release` that throws (an engine's strategy) is ignored: it only
   * dropped a cache, and unloading must not fail the rotation, disconnect or delete that asked
   * for it.
   */
  async dispose(): Promise<void> {
    try {
      this.method.strategy.release?.(this.#record.id);
    } catch {
      // The strategy keeps its cache entry; the session is unloaded all the same.
    }
    await this.limiter?.disconnect();
  }
}
