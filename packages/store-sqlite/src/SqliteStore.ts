import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  checkSetOptions,
  createStoreCodec,
  invalidArgument,
  type JsonValue,
  type Lease,
  type Logger,
  SpliceError,
  type Store,
  type StoreCodec,
  type StoreEncryptionOptions,
  type StoreEntry,
  type StoreSetOptions,
} from '@splice/core';
import Database from 'better-sqlite3';

/**
 * Options of {@link SqliteStore}.
 *
 * @example
 * ```ts
 * const options: SqliteStoreOptions = { path: 'data/splice.db', encryption: { keys: [key] } };
 * ```
 */
export interface SqliteStoreOptions {
  /**
   * The database file, created (with its folder) when missing, readable by the owner only.
   * `":memory:"` gives a private, non-durable database for tests.
   */
  readonly path: string;
  /**
   * AES-256-GCM encryption of every value (`{ keys: [{ id, key }], require? }`); the first key
   * encrypts, all decrypt. Without it the store warns once per process; `false` acknowledges
   * clear-text storage and silences the warning.
   */
  readonly encryption?: StoreEncryptionOptions | false;
  /** Receives the missing-encryption warning (else `process.emitWarning`). */
  readonly logger?: Logger;
  /**
   * How long an operation waits for another process's write transaction before failing with
   * `STORE_UNAVAILABLE` (SQLite `busy_timeout`). Default 5000 ms.
   */
  readonly busyTimeoutMs?: number;
  /** How often expired rows are deleted from the file, in ms; `0` turns it off. Default 60000. */
  readonly purgeIntervalMs?: number;
}

interface EntryRow {
  value: string;
  version: number;
}

interface LeaseRow {
  fencing_token: number;
  expires_at: number;
}

type Statement = Database.Statement;

// Two tables: values and leases live apart, so a lease never shows up in `keys()` and deleting a
// value never frees a lock. Lease rows stay after release (expires_at = 0) to keep the fencing
// token growing. STRICT makes SQLite reject wrongly-typed writes instead of coercing them.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS splice_entries (
  key TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL,
  version INTEGER NOT NULL,
  expires_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS splice_entries_expiry
  ON splice_entries (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS splice_leases (
  key TEXT PRIMARY KEY NOT NULL,
  fencing_token INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
`;

const LIVE = '(expires_at IS NULL OR expires_at > @now)';

/**
 * The durable embedded {@link Store} on SQLite (better-sqlite3): Splice's default for one host. The
 * file is in WAL mode with `synchronous=FULL`, so readers never block the writer and a committed
 * write survives a crash or power loss. Several processes on the same host may share one file:
 * every read-modify-write (compare-and-set, `take`, the lease lock) runs in a `BEGIN IMMEDIATE`
 * transaction, which takes SQLite's write lock before reading, so two processes can never both
 * pass the same check. Values are encrypted with AES-256-GCM when keys are configured.
 *
 * Not for network file systems (NFS, SMB): SQLite's locks are unreliable there. Use
 * `@splice/store-redis` for processes on several hosts.
 *
 * @example
 * ```ts
 * import { SqliteStore } from '@splice/store-sqlite';
 * const store = new SqliteStore({
 *   path: '/var/lib/my-engine/splice.db',
 *   encryption: { keys: [{ id: '2026-11', key: process.env.SPLICE_STORE_KEY! }], require: true },
 * });
 * const runtime = createRuntime({ connectors, strategies, store });
 * ```
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #codec: StoreCodec;
  readonly #path: string;
  readonly #statements: {
    get: Statement;
    upsert: Statement;
    delete: Statement;
    deleteReturning: Statement;
    keys: Statement;
    purge: Statement;
    getLease: Statement;
    upsertLease: Statement;
    releaseLease: Statement;
  };
  readonly #set: (key: string, encoded: string, options: StoreSetOptions) => number;
  readonly #take: (key: string) => JsonValue | undefined;
  readonly #acquire: (key: string, ttlMs: number) => LeaseRow | undefined;
  #purgeTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: SqliteStoreOptions) {
    if (typeof options !== 'object' || options === null) {
      throw invalidArgument(
        'SqliteStore needs options: new SqliteStore({ path })',
        'INVALID_OPTION',
      );
    }
    const { path, busyTimeoutMs = 5000, purgeIntervalMs = 60_000 } = options;
    if (typeof path !== 'string' || path === '') {
      throw invalidArgument(
        `SqliteStore option "path" must be a file path or ":memory:", got ${path === '' ? 'an empty string' : typeof path}`,
        'INVALID_OPTION',
      );
    }
    for (const [name, value] of [
      ['busyTimeoutMs', busyTimeoutMs],
      ['purgeIntervalMs', purgeIntervalMs],
    ] as const) {
      if (!Number.isInteger(value) || value < 0) {
        throw invalidArgument(
          `SqliteStore option "${name}" must be a whole number of milliseconds >= 0, got ${value}`,
          'INVALID_OPTION',
        );
      }
    }
    // The codec first: a bad key must fail before a file is created.
    this.#codec = createStoreCodec(options.encryption, {
      store: 'SqliteStore',
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    this.#path = path;

    const inMemory = path === ':memory:';
    const isNew = !inMemory && !existsSync(path);
    if (isNew) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.#db = this.#guard('open the database', () => {
      const db = new Database(path, { timeout: busyTimeoutMs });
      try {
        // busy_timeout first: switching to WAL and creating tables need the write lock, which
        // another process opening the same file at the same moment may hold.
        db.pragma(`busy_timeout = ${busyTimeoutMs}`);
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = FULL');
        db.exec(SCHEMA);
      } catch (error) {
        db.close();
        throw error;
      }
      return db;
    });
    if (isNew) {
      // Encrypted or not, the file holds credentials: owner-only, like a private key. SQLite gives
      // the -wal and -shm files the same permissions as the database file.
      try {
        chmodSync(path, 0o600);
      } catch {
        // A file system without POSIX modes (some mounts): nothing more to do.
      }
    }

    const db = this.#db;
    this.#statements = {
      get: db.prepare(`SELECT value, version FROM splice_entries WHERE key = @key AND ${LIVE}`),
      upsert: db.prepare(
        `INSERT INTO splice_entries (key, value, version, expires_at)
         VALUES (@key, @value, @version, @expiresAt)
         ON CONFLICT (key) DO UPDATE SET
           value = excluded.value, version = excluded.version, expires_at = excluded.expires_at`,
      ),
      delete: db.prepare('DELETE FROM splice_entries WHERE key = @key'),
      deleteReturning: db.prepare(
        'DELETE FROM splice_entries WHERE key = @key RETURNING expires_at',
      ),
      // Compare the prefix with substr/length on SQLite's side: both count characters the same
      // way, and no LIKE/GLOB wildcard in the prefix can widen the match.
      keys: db.prepare(
        `SELECT key FROM splice_entries
         WHERE key >= @prefix AND substr(key, 1, length(@prefix)) = @prefix AND ${LIVE}`,
      ),
      purge: db.prepare('DELETE FROM splice_entries WHERE expires_at <= @now'),
      getLease: db.prepare('SELECT fencing_token, expires_at FROM splice_leases WHERE key = @key'),
      upsertLease: db.prepare(
        `INSERT INTO splice_leases (key, fencing_token, expires_at)
         VALUES (@key, @token, @expiresAt)
         ON CONFLICT (key) DO UPDATE SET
           fencing_token = excluded.fencing_token, expires_at = excluded.expires_at`,
      ),
      releaseLease: db.prepare(
        'UPDATE splice_leases SET expires_at = 0 WHERE key = @key AND fencing_token = @token',
      ),
    };

    const s = this.#statements;
    // BEGIN IMMEDIATE: the write lock is taken before the read, so the check and the write are
    // one step for every process on the file (a DEFERRED transaction could read, then lose the
    // upgrade to a writer and fail with SQLITE_BUSY half-way).
    const set = db.transaction((key: string, encoded: string, options: StoreSetOptions) => {
      const now = Date.now();
      const current = (s.get.get({ key, now }) as EntryRow | undefined)?.version ?? 0;
      if (options.ifVersion !== undefined && options.ifVersion !== current) {
        throw conflict(key, options.ifVersion, current);
      }
      const version = current + 1;
      const expiresAt = options.ttlMs === undefined ? null : now + options.ttlMs;
      s.upsert.run({ key, value: encoded, version, expiresAt });
      return version;
    });
    this.#set = (key, encoded, options) => set.immediate(key, encoded, options);

    const take = db.transaction((key: string) => {
      const row = s.get.get({ key, now: Date.now() }) as EntryRow | undefined;
      if (row === undefined) return undefined;
      // Decoded inside the transaction: if decryption fails, the delete rolls back and the
      // record is not lost.
      const value = this.#codec.decode(key, row.value);
      s.delete.run({ key });
      return value;
    });
    this.#take = (key) => take.immediate(key);

    const acquire = db.transaction((key: string, ttlMs: number) => {
      const now = Date.now();
      const row = s.getLease.get({ key }) as LeaseRow | undefined;
      if (row !== undefined && row.expires_at > now) return undefined;
      const lease = { fencing_token: (row?.fencing_token ?? 0) + 1, expires_at: now + ttlMs };
      s.upsertLease.run({ key, token: lease.fencing_token, expiresAt: lease.expires_at });
      return lease;
    });
    this.#acquire = (key, ttlMs) => acquire.immediate(key, ttlMs);

    this.#purge();
    if (purgeIntervalMs > 0) {
      this.#purgeTimer = setInterval(() => this.#purge(), purgeIntervalMs);
      this.#purgeTimer.unref();
    }
  }

  async get<T extends JsonValue = JsonValue>(key: string): Promise<StoreEntry<T> | undefined> {
    checkKey(key);
    const row = this.#guard('read', () => this.#statements.get.get({ key, now: Date.now() })) as
      | EntryRow
      | undefined;
    if (row === undefined) return undefined;
    return { value: this.#codec.decode<T>(key, row.value), version: row.version };
  }

  async set<T extends JsonValue = JsonValue>(
    key: string,
    value: T,
    options: StoreSetOptions = {},
  ): Promise<number> {
    checkKey(key);
    checkSetOptions(options);
    // Encrypt outside the transaction: the write lock is held only for the check and the write.
    // Every write uses the first key, which is what re-encrypts records after a key rotation.
    const encoded = this.#codec.encode(key, value);
    return this.#guard('write', () => this.#set(key, encoded, options));
  }

  async take<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined> {
    checkKey(key);
    return this.#guard('take', () => this.#take(key)) as T | undefined;
  }

  async delete(key: string): Promise<boolean> {
    checkKey(key);
    const row = this.#guard('delete', () => this.#statements.deleteReturning.get({ key })) as
      | { expires_at: number | null }
      | undefined;
    return row !== undefined && (row.expires_at === null || row.expires_at > Date.now());
  }

  async keys(prefix: string): Promise<string[]> {
    if (typeof prefix !== 'string') {
      throw invalidArgument(`"prefix" must be a string, got ${typeof prefix}`);
    }
    const rows = this.#guard('list keys', () =>
      this.#statements.keys.all({ prefix, now: Date.now() }),
    ) as { key: string }[];
    return rows.map((row) => row.key);
  }

  async acquireLease(key: string, ttlMs: number): Promise<Lease | undefined> {
    checkKey(key);
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw invalidArgument(`"ttlMs" must be a positive number of milliseconds, got ${ttlMs}`);
    }
    const row = this.#guard('take the lease', () => this.#acquire(key, Math.ceil(ttlMs)));
    if (row === undefined) return undefined;
    const fencingToken = row.fencing_token;
    return {
      key,
      fencingToken,
      expiresAt: row.expires_at,
      // Only the holder with this fencing token can release: a holder whose lease lapsed and
      // passed to someone else releases nothing.
      release: async () => {
        if (this.#closed) return;
        this.#guard('release the lease', () =>
          this.#statements.releaseLease.run({ key, token: fencingToken }),
        );
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#purgeTimer !== undefined) clearInterval(this.#purgeTimer);
    this.#db.close();
  }

  #purge(): void {
    try {
      this.#statements.purge.run({ now: Date.now() });
    } catch {
      // Another process holds the write lock past the busy timeout: purge next time.
    }
  }

  /** Runs a database step, turning SQLite failures into `STORE_UNAVAILABLE`. */
  #guard<R>(what: string, step: () => R): R {
    if (this.#closed) {
      throw new SpliceError(
        'STORE_UNAVAILABLE',
        `SqliteStore at "${this.#path}" is closed: cannot ${what}. Create a new store.`,
      );
    }
    try {
      return step();
    } catch (error) {
      if (SpliceError.is(error) || error instanceof TypeError) throw error;
      const code = (error as { code?: unknown }).code;
      const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
      throw new SpliceError(
        'STORE_UNAVAILABLE',
        busy
          ? `SqliteStore at "${this.#path}" could not ${what}: another process held the write lock for longer than "busyTimeoutMs". Retry, or raise "busyTimeoutMs".`
          : `SqliteStore at "${this.#path}" could not ${what}: ${(error as Error).message}`,
        {
          cause: error,
          details: { path: this.#path, sqliteCode: typeof code === 'string' ? code : undefined },
        },
      );
    }
  }
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    throw invalidArgument(`store "key" must be a non-empty string, got ${JSON.stringify(key)}`);
  }
}

function conflict(key: string, expected: number, actual: number): SpliceError {
  // The state in a pending-authorization key is one-time and secret-ish: show only its start.
  const shown = key.startsWith('pending:') ? `${key.slice(0, 12)}…` : key;
  return new SpliceError(
    'STORE_CONFLICT',
    `Store key "${shown}" is at version ${actual}, not ${expected}: another writer changed it. Read it again and retry.`,
    { details: { key: shown, expected, actual } },
  );
}
