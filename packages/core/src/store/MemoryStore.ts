import type { JsonValue } from '../definition/types.js';
import { invalidArgument } from '../errors/invalidArgument.js';
import { SpliceError } from '../errors/SpliceError.js';
import { createStoreCodec, type StoreCodec, type StoreEncryptionOptions } from './encryption.js';
import type { Lease, Store, StoreEntry, StoreSetOptions } from './Store.js';

interface Slot {
  /** The value's JSON text, or its encrypted text when the store encrypts. */
  value: string;
  version: number;
  /**
   * Epoch ms after which the key reads as absent; only on slots written with a TTL (a double
   * field costs every slot a boxed number).
   */
  expiresAt?: number;
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
 * The in-memory {@link Store}: the default, for one process and for tests. Values are kept as
 * their JSON text, serialized like the SQLite and Redis stores do it (`createStoreCodec`), and
 * parsed on the way out: callers can never mutate what is stored, what comes back is what the
 * other stores would give back (members whose value is `undefined` are dropped), and a record
 * costs about its JSON's length in heap rather than a tree of objects. Nothing survives a
 * restart: use `@splice/store-sqlite` or `@splice/store-redis` for anything real.
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

  #live(key: string): Slot | undefined {
    const slot = this.#slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt !== undefined && slot.expiresAt <= this.#now()) {
      this.#slots.delete(key);
      return undefined;
    }
    return slot;
  }

  async get<T extends JsonValue = JsonValue>(key: string): Promise<StoreEntry<T> | undefined> {
    const slot = this.#live(key);
    if (slot === undefined) return undefined;
    return { value: this.#codec.decode<T>(key, slot.value), version: slot.version };
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
    const text = flat(this.#codec.encode(key, value));
    const slot: Slot =
      options.ttlMs === undefined
        ? { value: text, version }
        : { value: text, version, expiresAt: this.#now() + options.ttlMs };
    // A key already there stays the map's key: only a new one is copied.
    this.#slots.set(current === undefined ? flat(key) : key, slot);
    return version;
  }

  async take<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined> {
    const slot = this.#live(key);
    if (slot === undefined) return undefined;
    const value = this.#codec.decode<T>(key, slot.value);
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

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * `text` copied into one flat string, to be kept. `JSON.stringify` hands back longer text as a
 * tree of V8 cons strings (a piece per 32, 64, 128... characters), and a key built with `+` or a
 * template is one too, which a later lookup flattens into a second string kept beside it: either
 * costs about a third more heap than the characters for as long as the entry lives. UTF-8 carries
 * text without surrogates unchanged; text with them (rare in keys and JSON) is kept as it is.
 */
function flat(text: string): string {
  return SURROGATE.test(text) ? text : Buffer.from(text, 'utf8').toString('utf8');
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
