import { type InstanceRecord, SpliceError } from '@splice/core';
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
 * How long a session of an instance that needs re-authorization trusts its cached status before
 * `Sessions.current` re-reads the record, in ms (`createRuntime({ statusRecheckMs })`).
 *
 * @example
 * ```ts
 * createRuntime({ connectors, statusRecheckMs: DEFAULT_STATUS_RECHECK_MS });
 * ```
 */
export const DEFAULT_STATUS_RECHECK_MS = 2000;

/**
 * Default of `RuntimeOptions.sessionCacheSize`: most sessions kept loaded (~2 MB at ~1.8 KB
 * each with the strategy's cached credentials, an OAuth 2 method with one endpoint called).
 *
 * @example
 * ```ts
 * createRuntime({ connectors, sessionCacheSize: DEFAULT_SESSION_CACHE_SIZE * 10 });
 * ```
 */
export const DEFAULT_SESSION_CACHE_SIZE = 1_000;

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
 * (delete, renewal) or the runtime closes. Concurrent first calls share one load. A session whose
 * instance needs re-authorization rechecks the store now and then (see `current`), so a renewal
 * made by another process is seen without a restart.
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
 * const session = await sessions.current(id);
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
  /**
   * The pipeline of every instance without a rate limit, composed once, when all its layers are
   * the runtime's own (they keep nothing per instance: a call's state travels on the call). An
   * engine layer may keep state in its closure, so with engine layers each session composes its
   * own, as before.
   */
  #shared: Send | undefined;
  readonly #shareable: boolean;
  readonly #capacity: number;
  /** Sessions used since the last rotation. */
  #young = new Map<string, Session>();
  /** Sessions of the generation before; dropped at the next rotation unless used again. */
  #old = new Map<string, Session>();
  readonly #loading = new Map<string, Promise<Session>>();
  readonly #rechecking = new Map<string, Promise<Session>>();
  readonly #statusRecheckMs: number;
  #closed = false;

  constructor(
    catalog: ConnectorCatalog,
    repository: InstanceRepository,
    services: AuthServices,
    limiterFactory: LimiterFactory,
    layers: readonly Layer[],
    transport: Send,
    statusRecheckMs = DEFAULT_STATUS_RECHECK_MS,
    capacity = DEFAULT_SESSION_CACHE_SIZE,
    shareable = false,
  ) {
    this.#shareable = shareable;
    this.#statusRecheckMs = statusRecheckMs;
    this.#capacity = capacity;
    this.#catalog = catalog;
    this.#repository = repository;
    this.#services = services;
    this.#limiterFactory = limiterFactory;
    this.#layers = layers;
    this.#transport = transport;
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

  /** The loaded session of `instanceId` without counting it as used. */
  #find(instanceId: string): Session | undefined {
    return this.#young.get(instanceId) ?? this.#old.get(instanceId);
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
    // Disposing releases the strategy's cache and the limiter; a failure there must not fail the
    // call that rotated.
    if (released.length > 0) void Promise.allSettled(released.map((s) => s.dispose()));
  }

  /**
   * The session to call `instanceId` with: the loaded one, loaded once when there is none
   * (`INSTANCE_NOT_FOUND`). A healthy (`active`) session is returned as it is, without I/O. One
   * that is not active re-reads the record at most once per `statusRecheckMs` (concurrent calls
   * share the read), because another process sharing the store may have renewed the instance:
   * when the store says `active` again, the strategy forgets what it cached for the instance and
   * a fresh session is loaded (new record, new credentials); otherwise the session takes the
   * stored record and the caller refuses the call as before. A record deleted meanwhile drops
   * the session and throws `INSTANCE_NOT_FOUND`.
   */
  async current(instanceId: string): Promise<Session> {
    // Calls that arrive while the record is re-read wait for that read's answer.
    const pending = this.#rechecking.get(instanceId);
    if (pending !== undefined) return pending;
    const session = this.peek(instanceId) ?? (await this.load(instanceId));
    if (session.record.status === 'active') return session;
    if (session.context.now() - session.readAt < this.#statusRecheckMs) return session;
    const rechecking = this.#rechecking.get(instanceId) ?? this.#startRecheck(session);
    return rechecking;
  }

  #startRecheck(session: Session): Promise<Session> {
    const { id } = session.record;
    const rechecking = this.#recheck(session).finally(() => this.#rechecking.delete(id));
    this.#rechecking.set(id, rechecking);
    return rechecking;
  }

  async #recheck(session: Session): Promise<Session> {
    const { id } = session.record;
    session.readAt = session.context.now();
    let record: InstanceRecord;
    try {
      record = await this.#repository.record(id);
    } catch (error) {
      if (SpliceError.is(error, 'INSTANCE_NOT_FOUND')) {
        await this.drop(id);
        throw error;
      }
      // The store is unreachable: the cached status stands (the call is refused as before), and
      // the next interval tries again.
      const code = SpliceError.is(error) ? error.code : 'error';
      this.#services.logger.warn('Could not recheck the status of an instance', {
        instanceId: id,
        code,
      });
      return session;
    }
    if (record.status !== 'active') {
      session.update(record);
      return session;
    }
    // Renewed elsewhere: the credentials in the store are new, whatever this process cached.
    session.method.strategy.forget?.(id);
    if (this.#find(id) === session) await this.drop(id);
    return this.load(id);
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
    let send: Send;
    if (limiter !== undefined)
      send = composePipeline([createRateLimitLayer(limiter), ...this.#layers], this.#transport);
    else if (this.#shareable)
      send = this.#shared ??= composePipeline(this.#layers, this.#transport);
    else send = composePipeline(this.#layers, this.#transport);
    return new Session(record, connector, method, this.#catalog, this.#services, send, limiter);
  }

  /** Forgets the session of `instanceId`: the strategy's cache and its limiter are released. */
  async drop(instanceId: string): Promise<void> {
    const session = this.#find(instanceId);
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
