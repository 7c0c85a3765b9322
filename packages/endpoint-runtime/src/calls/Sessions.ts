import type { InstanceRecord } from '@splice/core';
import type { AuthServices } from '../catalog/AuthServices.js';
import type { ConnectorCatalog } from '../catalog/ConnectorCatalog.js';
import type { InstanceRepository } from '../connections/InstanceRepository.js';
import { composePipeline } from '../pipeline/composePipeline.js';
import { createRateLimitLayer } from '../pipeline/createRateLimitLayer.js';
import type { Layer, Send } from '../pipeline/EndpointCall.js';
import { limiterOptions } from '../pipeline/limiterOptions.js';
import type { LimiterFactory } from '../RuntimeOptions.js';
import { runtimeClosed } from '../runtimeClosed.js';
import { Session } from './Session.js';

/**
 * The per-process cache of instance sessions: a session is built on an instance's first call
 * (its record read once, its limiter made, its pipeline composed) and reused until it is dropped
 * (delete, renewal) or the runtime closes. Concurrent first calls share one load.
 *
 * @example
 * ```ts
 * const session = sessions.peek(id) ?? (await sessions.load(id));
 * ```
 */
export class Sessions {
  readonly #catalog: ConnectorCatalog;
  readonly #repository: InstanceRepository;
  readonly #services: AuthServices;
  readonly #limiterFactory: LimiterFactory;
  /** Retry → auth → the engine's layers; a limited instance gets its rate limit in front. */
  readonly #layers: readonly Layer[];
  readonly #transport: Send;
  readonly #sessions = new Map<string, Session>();
  readonly #loading = new Map<string, Promise<Session>>();
  #closed = false;

  constructor(
    catalog: ConnectorCatalog,
    repository: InstanceRepository,
    services: AuthServices,
    limiterFactory: LimiterFactory,
    layers: readonly Layer[],
    transport: Send,
  ) {
    this.#catalog = catalog;
    this.#repository = repository;
    this.#services = services;
    this.#limiterFactory = limiterFactory;
    this.#layers = layers;
    this.#transport = transport;
  }

  /** The loaded session of `instanceId`, if any (no I/O). */
  peek(instanceId: string): Session | undefined {
    return this.#sessions.get(instanceId);
  }

  /** The session of `instanceId`, loading it once; `INSTANCE_NOT_FOUND` when there is none. */
  load(instanceId: string): Promise<Session> {
    let loading = this.#loading.get(instanceId);
    if (loading === undefined) {
      loading = this.#open(instanceId).finally(() => this.#loading.delete(instanceId));
      this.#loading.set(instanceId, loading);
    }
    return loading;
  }

  async #open(instanceId: string): Promise<Session> {
    const record = await this.#repository.record(instanceId);
    const session = this.#create(record);
    if (this.#closed) {
      await session.dispose();
      throw runtimeClosed();
    }
    this.#sessions.set(instanceId, session);
    return session;
  }

  #create(record: InstanceRecord): Session {
    const connector = this.#catalog.connector(record.connectorId);
    const method = this.#catalog.method(connector, record.authMethodId);
    const rateLimit = record.rateLimit ?? connector.definition.rateLimit;
    const limiter =
      rateLimit === undefined
        ? undefined
        : this.#limiterFactory({
            ...limiterOptions(rateLimit),
            id: `splice:rate-limit:${record.connectorId}:${record.id}`,
          });
    const layers =
      limiter === undefined ? this.#layers : [createRateLimitLayer(limiter), ...this.#layers];
    const send = composePipeline(layers, this.#transport);
    return new Session(record, connector, method, this.#catalog, this.#services, send, limiter);
  }

  /** Forgets the session of `instanceId` and releases its limiter. */
  async drop(instanceId: string): Promise<void> {
    const session = this.#sessions.get(instanceId);
    this.#sessions.delete(instanceId);
    await session?.dispose();
  }

  /** Releases every session; later loads fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(sessions.map((session) => session.dispose()));
  }
}
