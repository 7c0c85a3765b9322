import type { JsonValue } from '../definition/types.js';
import { invalidArgument } from '../errors/invalidArgument.js';
import { SpliceError } from '../errors/SpliceError.js';
import { createStoreCodec, type StoreCodec, type StoreEncryptionOptions } from './encryption.js';
import type { Lease, Store, StoreEntry, StoreSetOptions } from './Store.js';

interface Slot {
  /** The value itself, or its encrypted text when the store encrypts. */
  value: JsonValue;
  version: number;
  expiresAt: number;
}

interface LeaseSlot {
  fencingToken: number;
  expiresAt: number;
}

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Epoch-milliseconds clock, for tests of TTLs. */
  readonly now?: () => number;
  /**
   * Encrypt values in memory too (AES-256-GCM, see `createStoreCodec`): useful to test a
   * deployment's keys, and to keep secrets out of heap dumps. Off by default, without a warning,
   * since nothing is kept at rest.
   */
  readonly encryption?: StoreEncryptionOptions | false;
}

/**
 * The in-memory {@link Store}: the default, for one process and for tests. Values are cloned on
 * the way in and out, so callers can never mutate what is stored. Nothing survives a restart: use
 * `@splice/store-sqlite` or `@splice/store-redis` for anything real.
 *
 * @example
 * ```ts
 * const store = new MemoryStore();
 * const v1 = await store.set('k', { a: 1 });
 * await store.set('k', { a: 2 }, { ifVersion: v1 });
 * ```
 */
export class MemoryStore implements Store {
  readonly #slots = new Map<string, Slot>();
  readonly #leases = new Map<string, LeaseSlot>();
  // Fencing tokens only grow, even after a key's lease slot is gone.
  readonly #fencing = new Map<string, number>();
  readonly #now: () => number;
  readonly #codec: StoreCodec;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#codec = createStoreCodec(options.encryption, {
      store: 'MemoryStore',
      warnWhenPlain: false,
    });
  }

  #encode(key: string, value: JsonValue): JsonValue {
    return this.#codec.encrypts ? this.#codec.encode(key, value) : structuredClone(value);
  }

  #decode<T extends JsonValue>(key: string, value: JsonValue): T {
    return this.#codec.encrypts
      ? this.#codec.decode<T>(key, value as string)
      : (structuredClone(value) as T);
  }

  #live(key: string): Slot | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt <= this.#now()) {
      this.#slots.delete(key);
      return undefined;
    }
    return slot;
  }

  async get<T extends JsonValue = JsonValue>(key: string): Promise<StoreEntry<T> | undefined> {
    const slot = this.#live(key);
    if (slot === undefined) return undefined;
    return { value: this.#decode<T>(key, slot.value), version: slot.version };
  }

  async set<T extends JsonValue = JsonValue>(
    key: string,
    value: T,
    options: StoreSetOptions = {},
  ): Promise<number> {
    checkSetOptions(options);
    const current = this.#live(key);
    const currentVersion = current?.version ?? 0;
    if (options.ifVersion !== undefined && options.ifVersion !== currentVersion) {
      throw new SpliceError(
        'STORE_CONFLICT',
        `Store key "${key}" is at version ${currentVersion}, not ${options.ifVersion}: another writer changed it. Read it again and retry.`,
        { details: { key, expected: options.ifVersion, actual: currentVersion } },
      );
    }
    const version = currentVersion + 1;
    const expiresAt = options.ttlMs === undefined ? Infinity : this.#now() + options.ttlMs;
    this.#slots.set(key, { value: this.#encode(key, value), version, expiresAt });
    return version;
  }

  async take<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined> {
    const slot = this.#live(key);
    if (slot === undefined) return undefined;
    const value = this.#decode<T>(key, slot.value);
    this.#slots.delete(key);
    return value;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#live(key) !== undefined;
    this.#slots.delete(key);
    return existed;
  }

  async keys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for (const key of this.#slots.keys()) {
      if (key.startsWith(prefix) && this.#live(key) !== undefined) out.push(key);
    }
    return out;
  }

  async acquireLease(key: string, ttlMs: number): Promise<Lease | undefined> {
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw invalidArgument(`"ttlMs" must be a positive number of milliseconds, got ${ttlMs}`);
    }
    const now = this.#now();
    const held = this.#leases.get(key);
    if (held !== undefined && held.expiresAt > now) return undefined;
    const fencingToken = (this.#fencing.get(key) ?? 0) + 1;
    this.#fencing.set(key, fencingToken);
    const slot: LeaseSlot = { fencingToken, expiresAt: now + ttlMs };
    this.#leases.set(key, slot);
    return {
      key,
      fencingToken,
      expiresAt: slot.expiresAt,
      release: async () => {
        if (this.#leases.get(key)?.fencingToken === fencingToken) this.#leases.delete(key);
      },
    };
  }

  async close(): Promise<void> {
    this.#slots.clear();
    this.#leases.clear();
  }
}

/** Checks {@link StoreSetOptions}; shared by every store implementation. */
export function checkSetOptions(options: StoreSetOptions): void {
  const { ifVersion, ttlMs } = options;
  if (ifVersion !== undefined && (!Number.isInteger(ifVersion) || ifVersion < 0)) {
    throw invalidArgument(`"ifVersion" must be a whole number >= 0, got ${ifVersion}`);
  }
  if (ttlMs !== undefined && (!Number.isFinite(ttlMs) || ttlMs <= 0)) {
    throw invalidArgument(`"ttlMs" must be a positive number of milliseconds, got ${ttlMs}`);
  }
}
