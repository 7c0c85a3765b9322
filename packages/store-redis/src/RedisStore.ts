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
import { Redis, type RedisOptions } from 'ioredis';
import { luaScript } from './luaScript.js';

/**
 * Options of {@link RedisStore}.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { client: existingRedis, prefix: 'prod:splice:',
 *   encryption: { keys: [key] } };
 * ```
 */
export interface RedisStoreOptions {
  /**
   * An ioredis client to use. The store never closes it: `close()` only quits clients the store
   * created itself.
   */
  readonly client?: Redis;
  /**
   * How to connect when no `client` is given: ioredis options or a `redis://` URL. Default:
   * `127.0.0.1:6379`.
   */
  readonly clientOptions?: RedisOptions | string;
  /**
   * Prefix of every Redis key the store writes, one per deployment so several deployments (or
   * tests) can share a server. Default `"splice:"`.
   */
  readonly prefix?: string;
  /**
   * AES-256-GCM encryption of every value (`{ keys: [{ id, key }], require? }`); the first key
   * encrypts, all decrypt. Without it the store warns once per process; `false` acknowledges
   * clear-text storage and silences the warning.
   */
  readonly encryption?: StoreEncryptionOptions | false;
  /** Receives the missing-encryption warning and connection errors of clients the store made. */
  readonly logger?: Logger;
  /**
   * Milliseconds one store operation may take before it fails with `STORE_UNAVAILABLE`. Default
   * 3000. Bounds an unreachable Redis (refused, unroutable, or accepting and never answering),
   * which ioredis alone reports only after its reconnect attempts (about 10 s). A timed-out write
   * may still be applied later: callers judge its outcome by reading again (compare-and-set).
   */
  readonly timeoutMs?: number;
}

/** Default of {@link RedisStoreOptions.timeoutMs}. */
export const REDIS_STORE_TIMEOUT_MS = 3000;

// Values are stored as "<version>|<payload>" strings: one key, so SET … PX gives the TTL and GET
// reads value and version in one step.

// KEYS[1] value key. ARGV[1] payload, ARGV[2] ifVersion or "", ARGV[3] TTL in ms or "".
// Returns {1, newVersion} or {0, currentVersion} on a compare-and-set conflict (nothing written).
const SET = luaScript(`
local stored = redis.call('GET', KEYS[1])
local current = 0
if stored then current = tonumber(string.match(stored, '^(%d+)|')) or 0 end
if ARGV[2] ~= '' and tonumber(ARGV[2]) ~= current then return {0, current} end
local version = current + 1
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[1], version .. '|' .. ARGV[1], 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], version .. '|' .. ARGV[1])
end
return {1, version}
`);

// KEYS[1] value key. Returns the stored string and deletes it, or nil.
const TAKE = luaScript(`
local stored = redis.call('GET', KEYS[1])
if stored then redis.call('DEL', KEYS[1]) end
return stored
`);

// KEYS[1] lease key, KEYS[2] fencing counter. ARGV[1] TTL in ms. Returns the fencing token, or 0
// when the lease is held. The counter has no TTL, so tokens keep growing across holders.
const ACQUIRE = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], token, 'PX', ARGV[1])
return token
`);

// KEYS[1] lease key. ARGV[1] fencing token. Deletes the lease only if this token still holds it.
const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

/**
 * The shared {@link Store} on Redis (ioredis), for processes on many hosts. Compare-and-set, `take`
 * and the lease lock are Lua scripts, which Redis runs atomically; TTLs are Redis expiries (`PX`),
 * so expired keys vanish by themselves; a lease carries a fencing token from a per-key `INCR`
 * counter. Every key is under `prefix`. Values are encrypted with AES-256-GCM when keys are
 * configured.
 *
 * @example
 * ```ts
 * import { RedisStore } from '@splice/store-redis';
 * const store = new RedisStore({
 *   clientOptions: process.env.REDIS_URL!,
 *   prefix: 'engine-prod:splice:',
 *   encryption: { keys: [{ id: '2026-11', key: process.env.SPLICE_STORE_KEY! }], require: true },
 * });
 * const runtime = createRuntime({ connectors, strategies, store });
 * ```
 */
export class RedisStore implements Store {
  readonly #client: Redis;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #codec: StoreCodec;
  readonly #timeoutMs: number;
  #closed = false;

  constructor(options: RedisStoreOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw invalidArgument('RedisStore options must be an object', 'INVALID_OPTION');
    }
    const {
      client,
      clientOptions,
      prefix = 'splice:',
      timeoutMs = REDIS_STORE_TIMEOUT_MS,
    } = options;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw invalidArgument(
        `RedisStore option "timeoutMs" must be a positive number of milliseconds, got ${String(timeoutMs)}`,
        'INVALID_OPTION',
      );
    }
    this.#timeoutMs = timeoutMs;
    if (typeof prefix !== 'string') {
      throw invalidArgument(
        `RedisStore option "prefix" must be a string, got ${typeof prefix}`,
        'INVALID_OPTION',
      );
    }
    if (client !== undefined && clientOptions !== undefined) {
      throw invalidArgument(
        'RedisStore takes either "client" or "clientOptions", not both',
        'INVALID_OPTION',
      );
    }
    if (client !== undefined && typeof (client as Partial<Redis>).evalsha !== 'function') {
      throw invalidArgument(
        'RedisStore option "client" must be an ioredis client (new Redis(...))',
        'INVALID_OPTION',
      );
    }
    checkNoKeyPrefix('RedisStore', client, clientOptions);
    // The codec first: a bad key must fail before a connection is opened.
    this.#codec = createStoreCodec(options.encryption, {
      store: 'RedisStore',
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    });
    this.#prefix = prefix;
    if (client !== undefined) {
      this.#client = client;
      this.#ownsClient = false;
    } else {
      // ioredis drops a command after `commandTimeout` even from its offline queue, so commands
      // sent while Redis is down do not pile up; a caller's own setting wins.
      const bounded = { commandTimeout: timeoutMs, connectTimeout: timeoutMs };
      this.#client =
        typeof clientOptions === 'string'
          ? new Redis(clientOptions, bounded)
          : new Redis({ ...bounded, ...clientOptions });
      this.#ownsClient = true;
      const logger = options.logger;
      // Without a listener ioredis prints every reconnect error; route them to the logger. The
      // message is the connection error (host, port, errno), never a command argument.
      this.#client.on('error', (error: Error) => {
        logger?.warn('RedisStore: Redis connection error', { error: error.message });
      });
    }
  }

  #valueKey(key: string): string {
    return `${this.#prefix}kv:${key}`;
  }

  async get<T extends JsonValue = JsonValue>(key: string): Promise<StoreEntry<T> | undefined> {
    checkKey(key);
    const stored = await this.#call('read', () => this.#client.get(this.#valueKey(key)));
    if (stored === null) return undefined;
    const { version, payload } = parse(key, stored);
    return { value: this.#codec.decode<T>(key, payload), version };
  }

  async set<T extends JsonValue = JsonValue>(
    key: string,
    value: T,
    options: StoreSetOptions = {},
  ): Promise<number> {
    checkKey(key);
    checkSetOptions(options);
    // Every write uses the first key, which is what re-encrypts records after a key rotation.
    const payload = this.#codec.encode(key, value);
    const reply = (await this.#call('write', () =>
      SET.run(
        this.#client,
        [this.#valueKey(key)],
        [
          payload,
          options.ifVersion === undefined ? '' : options.ifVersion,
          options.ttlMs === undefined ? '' : Math.ceil(options.ttlMs),
        ],
      ),
    )) as [number, number];
    const [ok, version] = reply;
    if (ok === 0) {
      const shown = describeKey(key);
      throw new SpliceError(
        'STORE_CONFLICT',
        `Store key "${shown}" is at version ${version}, not ${options.ifVersion}: another writer changed it. Read it again and retry.`,
        { details: { key: shown, expected: options.ifVersion ?? 0, actual: version } },
      );
    }
    return version;
  }

  async take<T extends JsonValue = JsonValue>(key: string): Promise<T | undefined> {
    checkKey(key);
    const stored = (await this.#call('take', () =>
      TAKE.run(this.#client, [this.#valueKey(key)], []),
    )) as string | null;
    if (stored === null) return undefined;
    return this.#codec.decode<T>(key, parse(key, stored).payload);
  }

  async delete(key: string): Promise<boolean> {
    checkKey(key);
    const deleted = await this.#call('delete', () => this.#client.del(this.#valueKey(key)));
    return deleted > 0;
  }

  async keys(prefix: string): Promise<string[]> {
    if (typeof prefix !== 'string') {
      throw invalidArgument(`"prefix" must be a string, got ${typeof prefix}`);
    }
    const base = this.#valueKey('');
    const match = `${escapeGlob(base + prefix)}*`;
    // SCAN, never KEYS: it walks the key space in small steps without blocking the server. It may
    // return a key twice, hence the set.
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await this.#call('list keys', () =>
        this.#client.scan(cursor, 'MATCH', match, 'COUNT', 1000),
      );
      for (const key of batch) found.add(key.slice(base.length));
      cursor = next;
    } while (cursor !== '0');
    return [...found];
  }

  async acquireLease(key: string, ttlMs: number): Promise<Lease | undefined> {
    checkKey(key);
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
      throw invalidArgument(`"ttlMs" must be a positive number of milliseconds, got ${ttlMs}`);
    }
    const ttl = Math.ceil(ttlMs);
    // The lease is set on the server after this moment, so start + TTL never overstates it.
    const start = Date.now();
    // Lease and counter share a hash tag, so the script's two keys live on one Redis Cluster slot.
    const leaseKey = `${this.#prefix}lease:{${key}}`;
    const token = (await this.#call('take the lease', () =>
      ACQUIRE.run(this.#client, [leaseKey, `${this.#prefix}fence:{${key}}`], [ttl]),
    )) as number;
    if (token === 0) return undefined;
    return {
      key,
      fencingToken: token,
      expiresAt: start + ttl,
      // Only the holder with this fencing token can release: a holder whose lease lapsed and
      // passed to someone else releases nothing.
      release: async () => {
        if (this.#closed) return;
        await this.#call('release the lease', () => RELEASE.run(this.#client, [leaseKey], [token]));
      },
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#ownsClient) return;
    try {
      await this.#client.quit();
    } catch {
      this.#client.disconnect();
    }
  }

  /**
   * Runs a Redis call, turning connection and server failures, and no answer within `timeoutMs`,
   * into `STORE_UNAVAILABLE`.
   */
  async #call<R>(what: string, step: () => Promise<R>): Promise<R> {
    if (this.#closed) {
      throw new SpliceError(
        'STORE_UNAVAILABLE',
        `RedisStore is closed: cannot ${what}. Create a new store.`,
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(
          new SpliceError(
            'STORE_UNAVAILABLE',
            `RedisStore could not ${what}: Redis did not answer within ${this.#timeoutMs} ms. Check that Redis is reachable and retry (a write may still be applied: read before writing again).`,
            { details: { prefix: this.#prefix, timeoutMs: this.#timeoutMs } },
          ),
        );
      }, this.#timeoutMs);
    });
    const running = step();
    // The call may still settle after the timeout: its outcome is no one's to handle then.
    running.catch(() => {});
    try {
      return await Promise.race([running, timeout]);
    } catch (error) {
      if (SpliceError.is(error, 'STORE_UNAVAILABLE')) throw error;
      // ioredis errors carry the command and its arguments (values, maybe in clear text): keep
      // only the message.
      const message = (error as Error).message;
      throw new SpliceError(
        'STORE_UNAVAILABLE',
        `RedisStore could not ${what}: ${message}. Check that Redis is reachable and retry.`,
        { cause: new Error(message), details: { prefix: this.#prefix } },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

function parse(key: string, stored: string): { version: number; payload: string } {
  const bar = stored.indexOf('|');
  const version = Number(stored.slice(0, bar));
  if (bar <= 0 || !Number.isInteger(version)) {
    throw new SpliceError(
      'STORE_UNAVAILABLE',
      `RedisStore: the Redis value for "${describeKey(key)}" is not in Splice's format; another program wrote to Splice's key prefix. Use a "prefix" of its own.`,
    );
  }
  return { version, payload: stored.slice(bar + 1) };
}

/**
 * ioredis's `keyPrefix` is applied to command keys but not to SCAN patterns and results, so
 * `keys()` would break; Splice's own `prefix` option does the same job consistently.
 */
function checkNoKeyPrefix(
  owner: string,
  client: Redis | undefined,
  clientOptions: RedisOptions | string | undefined,
): void {
  const keyPrefix =
    client?.options.keyPrefix ??
    (typeof clientOptions === 'object' ? clientOptions.keyPrefix : undefined);
  if (keyPrefix !== undefined && keyPrefix !== '') {
    throw invalidArgument(
      `${owner}: the ioredis client has "keyPrefix" set; leave it unset and pass Splice's "prefix" option instead`,
      'INVALID_OPTION',
    );
  }
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    throw invalidArgument(`store "key" must be a non-empty string, got ${JSON.stringify(key)}`);
  }
}

// The state in a pending-authorization key is one-time and secret-ish: show only its start.
function describeKey(key: string): string {
  return key.startsWith('pending:') ? `${key.slice(0, 12)}…` : key;
}
