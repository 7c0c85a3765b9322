import {
  type Credentials,
  type InstanceRecord,
  type JsonObject,
  SpliceError,
  type Store,
  type StoreEntry,
  storeKeys,
} from '@splice/core';
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

  constructor(store: Store) {
    this.#store = store;
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
   * only if absent (`STORE_CONFLICT` otherwise).
   */
  async create(record: InstanceRecord, credentials: Credentials): Promise<void> {
    await this.#store.set(storeKeys.credentials(record.id), toJson(credentials), { ifVersion: 0 });
    await this.#store.set(storeKeys.instance(record.id), toJson(record), { ifVersion: 0 });
  }

  /** The stored credentials of `instanceId`, or undefined when none are stored. */
  async credentials(instanceId: string): Promise<Credentials | undefined> {
    const entry = await this.#store.get<JsonObject>(storeKeys.credentials(instanceId));
    return entry === undefined ? undefined : (entry.value as unknown as Credentials);
  }

  /** Replaces an instance's credentials (a new consent supersedes whatever was stored). */
  async replaceCredentials(instanceId: string, credentials: Credentials): Promise<void> {
    await this.#store.set(storeKeys.credentials(instanceId), toJson(credentials));
  }

  /**
   * Changes the record of `instanceId` with compare-and-set: `change` gets the current record and
   * returns the next one, or undefined to leave it. A conflicting writer makes it read again and
   * call `change` on the newer record. Resolves to the record written, or undefined when nothing
   * was written; `INSTANCE_NOT_FOUND` when the record is gone.
   */
  async transition(
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
