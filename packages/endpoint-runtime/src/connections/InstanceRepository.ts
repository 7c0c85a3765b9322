import {
  type Credentials,
  type InstanceRecord,
  type JsonObject,
  SpliceError,
  type Store,
  type StoreEntry,
  storeKeys,
} from '@splice/core';
import { type RetryPolicy, RetryRule } from '@splice/http';
import type { PendingAuthorization } from './PendingAuthorization.js';

/**
 * A stored instance record and the version it was read at (for compare-and-set).
 *
 * @example
 * ```ts
 * const { record, version } = await repository.read(instanceId);
 * ```
 */
export interface VersionedRecord {
  readonly record: InstanceRecord;
  readonly version: number;
}

// How often a compare-and-set transition re-reads and tries again before giving up; a conflict
// means another writer changed the record, which only a handful of writers ever do at once.
const TRANSITION_TRIES = 5;

/**
 * How writes of what a provider issued (a new instance's credentials and record, a renewal's
 * credentials and record) are retried when the store is unavailable: 4 retries after the first
 * try, backoff from 100 ms doubling to at most 2 s, with jitter (the HTTP edge's one rule): about
 * 3 s at most on top of the store's own timeouts. Each retry re-reads, so a write that timed out
 * but landed is recognised rather than written twice.
 */
export const SAVE_RETRY: RetryPolicy = {
  retries: 4,
  minDelayMs: 100,
  maxDelayMs: 2000,
  maxRetryAfterMs: 0,
};

const unavailable = (error: unknown): boolean => SpliceError.is(error, 'STORE_UNAVAILABLE');

function notFound(instanceId: string): SpliceError {
  return new SpliceError(
    'INSTANCE_NOT_FOUND',
    `No instance "${instanceId}" exists in the store. It may have been deleted; list instances with listInstances().`,
    { details: { instanceId } },
  );
}

/**
 * The typed view of the store for instances: records, credentials and pending authorizations
 * under `storeKeys`, and record changes as compare-and-set transitions. The only place the
 * runtime turns store JSON into its types and back.
 *
 * @example
 * ```ts
 * const repository = new InstanceRepository(store);
 * await repository.create(record, credentials);
 * const next = await repository.transition(record.id, (r) => ({ ...r, status: 'active' }));
 * ```
 */
export class InstanceRepository {
  readonly #store: Store;
  // Backoff only (no HTTP here): the rule's failure code does not apply to store writes.
  readonly #retry = new RetryRule(SAVE_RETRY, 'TOKEN_REQUEST_FAILED', Date.now);

  constructor(store: Store) {
    this.#store = store;
  }

  /** Runs `write`, retrying it per {@link SAVE_RETRY} while the store is unavailable. */
  #durably<T>(write: () => Promise<T>): Promise<T> {
    return this.#retry.repeat(write, { shouldRetry: unavailable });
  }

  /**
   * Writes `value` under `key` only if the key is absent; a conflict with the very same value
   * (an earlier try that timed out but landed) counts as written.
   */
  async #insert(key: string, value: JsonObject): Promise<void> {
    try {
      await this.#store.set(key, value, { ifVersion: 0 });
    } catch (error) {
      if (!SpliceError.is(error, 'STORE_CONFLICT')) throw error;
      const stored = await this.#store.get(key);
      if (stored === undefined || JSON.stringify(stored.value) !== JSON.stringify(value))
        throw error;
    }
  }

  /** The record of `instanceId` and its version, or undefined. */
  async read(instanceId: string): Promise<VersionedRecord | undefined> {
    const entry = await this.#store.get<JsonObject>(storeKeys.instance(instanceId));
    return entry === undefined ? undefined : toVersioned(entry);
  }

  /** The record of `instanceId`; `INSTANCE_NOT_FOUND` when there is none. */
  async record(instanceId: string): Promise<InstanceRecord> {
    const read = await this.read(instanceId);
    if (read === undefined) throw notFound(instanceId);
    return read.record;
  }

  /** Every stored record, in no particular order. */
  async list(): Promise<InstanceRecord[]> {
    const out: InstanceRecord[] = [];
    for (const key of await this.#store.keys(storeKeys.instances)) {
      const entry = await this.#store.get<JsonObject>(key);
      if (entry !== undefined) out.push(toVersioned(entry).record);
    }
    return out;
  }

  /**
   * Saves a new instance: its credentials first, so a record never exists without them; both
   * only if absent (`STORE_CONFLICT` otherwise). Each write is retried per {@link SAVE_RETRY}
   * while the store is unavailable; then `STORE_UNAVAILABLE` is thrown.
   */
  async create(record: InstanceRecord, credentials: Credentials): Promise<void> {
    await this.#durably(() => this.#insert(storeKeys.credentials(record.id), toJson(credentials)));
    await this.#durably(() => this.#insert(storeKeys.instance(record.id), toJson(record)));
  }

  /** The stored credentials of `instanceId`, or undefined when none are stored. */
  async credentials(instanceId: string): Promise<Credentials | undefined> {
    const entry = await this.#store.get<JsonObject>(storeKeys.credentials(instanceId));
    return entry === undefined ? undefined : (entry.value as unknown as Credentials);
  }

  /**
   * Replaces an instance's credentials (a new consent supersedes whatever was stored), retried
   * per {@link SAVE_RETRY} while the store is unavailable.
   */
  async replaceCredentials(instanceId: string, credentials: Credentials): Promise<void> {
    await this.#durably(() =>
      this.#store.set(storeKeys.credentials(instanceId), toJson(credentials)),
    );
  }

  /**
   * Changes the record of `instanceId` with compare-and-set: `change` gets the current record and
   * returns the next one, or undefined to leave it. A conflicting writer makes it read again and
   * call `change` on the newer record; an unavailable store makes it try again per
   * {@link SAVE_RETRY} (reading again each time). Resolves to the record written, or undefined
   * when nothing was written; `INSTANCE_NOT_FOUND` when the record is gone.
   */
  async transition(
    instanceId: string,
    change: (current: InstanceRecord) => InstanceRecord | undefined,
  ): Promise<InstanceRecord | undefined> {
    return this.#durably(() => this.#transitionOnce(instanceId, change));
  }

  async #transitionOnce(
    instanceId: string,
    change: (current: InstanceRecord) => InstanceRecord | undefined,
  ): Promise<InstanceRecord | undefined> {
    const key = storeKeys.instance(instanceId);
    for (let tries = 1; ; tries++) {
      const current = await this.read(instanceId);
      if (current === undefined) throw notFound(instanceId);
      const next = change(current.record);
      if (next === undefined) return undefined;
      try {
        await this.#store.set(key, toJson(next), { ifVersion: current.version });
        return next;
      } catch (conflict) {
        if (!SpliceError.is(conflict, 'STORE_CONFLICT') || tries >= TRANSITION_TRIES)
          throw conflict;
      }
    }
  }

  /** Deletes the stored credentials of `instanceId` (the record stays). */
  async deleteCredentials(instanceId: string): Promise<void> {
    await this.#store.delete(storeKeys.credentials(instanceId));
  }

  /** Deletes the record and credentials of `instanceId`; resolves to the deleted record. */
  async delete(instanceId: string): Promise<InstanceRecord | undefined> {
    const read = await this.read(instanceId);
    await this.#store.delete(storeKeys.instance(instanceId));
    await this.#store.delete(storeKeys.credentials(instanceId));
    return read?.record;
  }

  /** Keeps a pending authorization under its one-time `state` until `pending.expiresAt`. */
  async savePending(state: string, pending: PendingAuthorization, now: number): Promise<void> {
    await this.#store.set(storeKeys.pending(state), toJson(pending), {
      ifVersion: 0,
      ttlMs: Math.max(1, pending.expiresAt - now),
    });
  }

  /**
   * Atomically takes the pending authorization of `state`: a second take of the same state (a
   * replayed callback) gets undefined, as does an unknown or expired one.
   */
  async takePending(state: string, now: number): Promise<PendingAuthorization | undefined> {
    if (state === '') return undefined;
    const value = await this.#store.take<JsonObject>(storeKeys.pending(state));
    if (value === undefined) return undefined;
    const pending = value as unknown as PendingAuthorization;
    return pending.expiresAt > now ? pending : undefined;
  }
}

function toVersioned(entry: StoreEntry<JsonObject>): VersionedRecord {
  return { record: entry.value as unknown as InstanceRecord, version: entry.version };
}

// Records, credentials and pending authorizations are JSON-safe by construction: plain strings,
// numbers and nested plain objects.
function toJson(value: InstanceRecord | Credentials | PendingAuthorization): JsonObject {
  return value as unknown as JsonObject;
}
