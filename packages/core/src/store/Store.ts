import type { JsonValue } from '../definition/types.js';

/** A stored value and its version. Versions start at 1 and grow by one on every write. */
export interface StoreEntry<T extends JsonValue = JsonValue> {
  readonly value: T;
  readonly version: number;
}

/** Options of {@link Store.set}. */
export interface StoreSetOptions {
  /**
   * Compare-and-set: write only when the current version equals this. `0` means "only when the key
   * does not exist". On mismatch `set` throws a `STORE_CONFLICT` SpliceError and writes nothing.
   */
  readonly ifVersion?: number;
  /** Time to live in milliseconds; the key reads as absent afterwards. */
  readonly ttlMs?: number;
}

/** A held lease (lock). The fencing token grows with every grant of the same key. */
export interface Lease {
  readonly key: string;
  /** Monotonic per key: a later holder always has a larger token. */
  readonly fencingToken: number;
  /** Epoch milliseconds at which the lease lapses unless released earlier. */
  readonly expiresAt: number;
  /** Gives the lease back; a no-op when it already lapsed or passed to another holder. */
  release(): Promise<void>;
}

/**
 * Where Splice keeps instances, credentials, pending authorizations and locks (SPEC §6). One
 * contract, three implementations (memory, SQLite, Redis), one conformance suite in
 * `@splice/testkit/conformance` (`describeStoreConformance`). Values are JSON; implementations may encrypt them at rest.
 *
 * @example
 * ```ts
 * const { value, version } = (await store.get<Creds>('credentials:i1'))!;
 * await store.set('credentials:i1', next, { ifVersion: version }); // throws STORE_CONFLICT if raced
 * ```
 */
export interface Store {
  /** The value and version under `key`, or `undefined`. */
  get<T extends JsonValue = JsonValue>(key: string): Promise<StoreEntry<T> | undefined>;
  /** Writes `value`; returns the new version. See {@link StoreSetOptions} for compare-and-set. */
  set<T extends JsonValue = JsonValue>(
    key: string,
    value: T,
    options?: StoreSetOptions,
  ): Promise<number>;
  /** Atomically reads and deletes `key` (one-time values such as OAuth state). */
  take<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined>;
  /** Deletes `key`; true when something was deleted. */
  delete(key: string): Promise<boolean>;
  /** Keys starting with `prefix`, in no particular order. */
  keys(prefix: string): Promise<string[]>;
  /**
   * Tries once to take the lease `key` for `ttlMs`. Returns the lease, or `undefined` when another
   * holder has it. A holder that dies loses the lease when the TTL lapses.
   */
  acquireLease(key: string, ttlMs: number): Promise<Lease | undefined>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** Keys Splice uses in a store; one place so every package agrees. */
export const storeKeys = {
  instance: (id: string) => `instance:${id}`,
  instances: 'instance:',
  credentials: (instanceId: string) => `credentials:${instanceId}`,
  pending: (state: string) => `pending:${state}`,
  refreshLock: (instanceId: string) => `lock:refresh:${instanceId}`,
  /** A refresh in flight (its lease's fencing token), deleted when its outcome is settled. */
  refreshIntent: (instanceId: string) => `refresh:${instanceId}`,
} as const;
