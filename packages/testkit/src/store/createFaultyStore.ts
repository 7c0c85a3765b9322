import {
  type JsonValue,
  type Lease,
  SpliceError,
  type Store,
  type StoreEntry,
  type StoreSetOptions,
} from '@splice/core';

/** Which writes a {@link FaultyStore} fault hits: every `set` whose key starts with `keyPrefix`. */
export interface StoreFault {
  readonly keyPrefix: string;
  /** How many matching writes fail (or stall) before the store behaves again; default 1. */
  readonly times?: number;
  /**
   * `fail` (default): the write throws `STORE_UNAVAILABLE` without reaching the store. `stall`:
   * the write waits for {@link FaultyStore.release}, then goes through.
   */
  readonly kind?: 'fail' | 'stall';
}

/** A real store whose writes fail or stall on cue; see {@link createFaultyStore}. */
export interface FaultyStore extends Store {
  /** Arms a fault for the next matching writes (replacing an armed one). */
  arm(fault: StoreFault): void;
  /** Writes that hit a fault so far. */
  readonly faults: number;
  /** Resolves when a write is held by a `stall` fault. */
  stalled(): Promise<void>;
  /** Lets stalled writes go through. */
  release(): void;
}

/**
 * Wraps a real store (memory, SQLite, Redis) so that chosen writes fail with `STORE_UNAVAILABLE`
 * or stall until released: the faults a real store cannot produce on cue (a write failing right
 * after the provider answered, a writer pausing past its lease). Everything else is the real
 * store's behaviour. `close()` closes the wrapped store.
 *
 * @example
 * ```ts
 * const store = createFaultyStore(new SqliteStore({ path, encryption: false }));
 * store.arm({ keyPrefix: 'credentials:' }); // the next credentials write throws once
 * ```
 */
export function createFaultyStore(inner: Store): FaultyStore {
  let armed: { fault: StoreFault; left: number } | undefined;
  let faults = 0;
  let gate: { promise: Promise<void>; open: () => void } | undefined;
  let onStall: (() => void) | undefined;
  let stalledOnce = false;
  const newGate = () => {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { promise, open };
  };
  return {
    get<T extends JsonValue = JsonValue>(key: string): Promise<StoreEntry<T> | undefined> {
      return inner.get<T>(key);
    },
    async set<T extends JsonValue = JsonValue>(
      key: string,
      value: T,
      options?: StoreSetOptions,
    ): Promise<number> {
      if (armed !== undefined && armed.left > 0 && key.startsWith(armed.fault.keyPrefix)) {
        armed.left -= 1;
        faults += 1;
        if ((armed.fault.kind ?? 'fail') === 'fail') {
          throw new SpliceError(
            'STORE_UNAVAILABLE',
            `Injected fault: the write of "${key}" did not reach the store.`,
          );
        }
        gate ??= newGate();
        stalledOnce = true;
        onStall?.();
        await gate.promise;
      }
      return inner.set<T>(key, value, options);
    },
    take: <T extends JsonValue = JsonValue>(key: string) => inner.take<T>(key),
    delete: (key: string) => inner.delete(key),
    keys: (prefix: string) => inner.keys(prefix),
    acquireLease: (key: string, ttlMs: number): Promise<Lease | undefined> =>
      inner.acquireLease(key, ttlMs),
    close: () => inner.close(),
    arm(fault) {
      armed = { fault, left: fault.times ?? 1 };
    },
    get faults() {
      return faults;
    },
    stalled() {
      if (stalledOnce) return Promise.resolve();
      return new Promise<void>((resolve) => {
        onStall = resolve;
      });
    },
    release() {
      gate?.open();
      gate = undefined;
      stalledOnce = false;
    },
  };
}
