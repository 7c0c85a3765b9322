import type { JsonValue } from '../definition/types.js';
import { invalidArgument } from '../errors/invalidArgument.js';
import { SpliceError } from '../errors/SpliceError.js';
import { createStoreCodec, type StoreCodec, type StoreEncryptionOptions } from './encryption.js';
import type { Lease, Store, StoreEntry, StoreSetOptions } from './Store.js';

/**
 * A key's version and value in one flat string, `<version>:<text>` (the text: the value's JSON,
 * or its encrypted text when the store encrypts). One string per key rather than a
 * `{ value, version }` object: the object cost 40 B per key, the version's digits cost a few.
 */
function toEntry(version: number, text: string): string {
  return flat(`${version}:${text}`);
}

function versionOf(entry: string): number {
  return Number(entry.slice(0, entry.indexOf(':')));
}

/** The stored text of `entry` (a slice: nothing is copied). */
function textOf(entry: string): string {
  return entry.slice(entry.indexOf(':') + 1);
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
  /** Key → `<version>:<text>` (see `toEntry`). */
  readonly #entries = new Map<string, string>();
  /** Key → epoch ms after which it reads as absent; only keys written with a TTL. */
  readonly #expiries = new Map<string, number>();
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

  /** The entry of `key`; an expired one is removed and reads as absent. */
  #live(key: string): string | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const expiresAt = this.#expiries.get(key);
    if (expiresAt !== undefined && expiresAt <= this.#now()) {
      this.#remove(key);
      return undefined;
    }
    return entry;
  }

  #remove(key: string): void {
    this.#entries.delete(key);
    this.#expiries.delete(key);
  }

  async get<T extends JsonValue = JsonValue>(key: string): Promise<StoreEntry<T> | undefined> {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    return { value: this.#codec.decode<T>(key, textOf(entry)), version: versionOf(entry) };
  }

  async set<T extends JsonValue = JsonValue>(
    key: string,
    value: T,
    options: StoreSetOptions = {},
  ): Promise<number> {
    checkSetOptions(options);
    const current = this.#live(key);
    const currentVersion = current === undefined ? 0 : versionOf(current);
    if (options.ifVersion !== undefined && options.ifVersion !== currentVersion) {
      throw new SpliceError(
        'STORE_CONFLICT',
        `Store key "${key}" is at version ${currentVersion}, not ${options.ifVersion}: another writer changed it. Read it again and retry.`,
        { details: { key, expected: options.ifVersion, actual: currentVersion } },
      );
    }
    const version = currentVersion + 1;
    // A key already there stays the map's key: only a new one is copied.
    const kept = current === undefined ? flat(key) : key;
    this.#entries.set(kept, toEntry(version, this.#codec.encode(key, value)));
    if (options.ttlMs === undefined) this.#expiries.delete(kept);
    else this.#expiries.set(kept, this.#now() + options.ttlMs);
    return version;
  }

  async take<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined> {
    const entry = this.#live(key);
    if (entry === undefined) return undefined;
    const value = this.#codec.decode<T>(key, textOf(entry));
    this.#remove(key);
    return value;
  }

  async delete(key: string): Promise<boolean> {
    const existed = this.#live(key) !== undefined;
    this.#remove(key);
    return existed;
  }

  async keys(prefix: string): Promise<string[]> {
    const out: string[] = [];
    for (const key of this.#entries.keys()) {
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
    this.#entries.clear();
    this.#expiries.clear();
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
