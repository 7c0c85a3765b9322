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

/** True while a session's rate limiter holds calls (received, queued, running or executing). */
function busy(session: Session): boolean {
  const limiter = session.limiter;
  if (limiter === undefined) return false;
  const counts = limiter.counts();
  return counts.RECEIVED + counts.QUEUED + counts.RUNNING + counts.EXECUTING > 0;
}

/**
 * The per-process cache of instance sessions: a session is built on an instance's first call
 * (its record read once, its limiter made, its pipeline composed) and reused until it is dropped
 * (delete, renewal, eviction) or the runtime closes. Concurrent first calls share one load.
 *
 * The cache is bounded by `capacity` sessions (`RuntimeOptions.sessionCacheSize`) with two
 * generations, an O(1) approximation of least-recently-used that writes nothing on a hit in the
 * young generation: new and re-used sessions go to the young one; when it holds half the
 * capacity, the old generation's sessions are dropped (disposed) and the young one becomes old.
 * So between capacity/2 and capacity sessions are kept, the most recently called ones. A session
 * whose rate limiter still holds calls is carried over instead of dropped. A dropped session is
 * rebuilt by the instance's next call.
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
  readonly #capacity: number;
  /** Sessions used since the last rotation. */
  #young = new Map<string, Session>();
  /** Sessions of the generation before; dropped at the next rotation unless used again. */
  #old = new Map<string, Session>();
  readonly #loading = new Map<string, Promise<Session>>();
  #closed = false;

  constructor(
    catalog: ConnectorCatalog,
    repository: InstanceRepository,
    services: AuthServices,
    limiterFactory: LimiterFactory,
    layers: readonly Layer[],
    transport: Send,
    capacity: number,
  ) {
    this.#catalog = catalog;
    this.#repository = repository;
    this.#services = services;
    this.#limiterFactory = limiterFactory;
    this.#layers = layers;
    this.#transport = transport;
    this.#capacity = capacity;
  }

  /** The loaded session of `instanceId`, if any (no I/O). */
  peek(instanceId: string): Session | undefined {
    const session = this.#young.get(instanceId);
    if (session !== undefined) return session;
    const old = this.#old.get(instanceId);
    if (old !== undefined) {
      this.#old.delete(instanceId);
      this.#keep(instanceId, old);
    }
    return old;
  }

  /** Number of sessions loaded (at most the capacity, plus busy ones carried over). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #keep(instanceId: string, session: Session): void {
    this.#young.set(instanceId, session);
    if (this.#young.size < this.#capacity / 2) return;
    const evicted = this.#old;
    this.#old = this.#young;
    this.#young = new Map();
    const released: Session[] = [];
    for (const [id, candidate] of evicted) {
      if (busy(candidate)) this.#young.set(id, candidate);
      else released.push(candidate);
    }
    // Disposing only disconnects limiters; a failure there must not fail the call that rotated.
    if (released.length > 0) void Promise.allSettled(released.map((s) => s.dispose()));
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
    this.#keep(instanceId, session);
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
    const session = this.#young.get(instanceId) ?? this.#old.get(instanceId);
    this.#young.delete(instanceId);
    this.#old.delete(instanceId);
    await session?.dispose();
  }

  /** Releases every session; later loads fail. */
  async close(): Promise<void> {
    this.#closed = true;
    const sessions = [...this.#young.values(), ...this.#old.values()];
    this.#young = new Map();
    this.#old = new Map();
    await Promise.allSettled(sessions.map((session) => session.dispose()));
  }
}
