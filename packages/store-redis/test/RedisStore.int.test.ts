import { randomBytes, randomUUID } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { SpliceError, type StoreEncryptionKey } from '@splice/core';
import { RedisStore } from '@splice/store-redis';
import { checkRedis } from '@splice/testkit';
import { describeStoreConformance } from '@splice/testkit/conformance';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeKeys } from './support/removeKeys.js';

const redis = await checkRedis();
// Every key this file writes is under one prefix per run, removed at the end.
const runPrefix = `splice-test:${randomUUID()}:`;
let admin: Redis;
let counter = 0;
const prefixes = new WeakMap<object, string>();

beforeAll(() => {
  if (redis.available) admin = new Redis();
});
afterAll(async () => {
  if (!redis.available) return;
  await removeKeys(admin, [`${runPrefix}*`]);
  await admin.quit();
});

const key = (id: string): StoreEncryptionKey => ({ id, key: randomBytes(32) });
function open(options: ConstructorParameters<typeof RedisStore>[0] = {}): RedisStore {
  const prefix = `${runPrefix}${++counter}:`;
  const store = new RedisStore({ prefix, ...options });
  prefixes.set(store, prefix);
  return store;
}

describe.skipIf(!redis.available)(`RedisStore${redis.reason}`, () => {
  describeStoreConformance('RedisStore', () => open({ encryption: false }));
  describeStoreConformance(
    'RedisStore, encrypted',
    () => open({ encryption: { keys: [key('k1')] } }),
    {
      encrypted: true,
      readRaw: async (store, storeKey) =>
        (await admin.get(`${prefixes.get(store)!}kv:${storeKey}`)) ?? undefined,
      reopen: (store, keys) =>
        new RedisStore({ prefix: prefixes.get(store)!, encryption: { keys } }),
    },
  );

  const secret = `client-secret-${randomUUID()}`;
  const token = `access-token-${randomUUID()}`;
  const record = {
    variables: { client_id: 'app', client_secret: secret },
    credentials: { access_token: token },
  };

  it('keeps no client secret or token in clear text in Redis', async () => {
    const store = open({ encryption: { keys: [key('k1')] } });
    const prefix = prefixes.get(store)!;
    await store.set('instance:i1', record);
    await store.set('pending:state1', { code_verifier: secret }, { ttlMs: 60_000 });
    const raw = await admin.mget(`${prefix}kv:instance:i1`, `${prefix}kv:pending:state1`);
    expect(raw.every((v) => typeof v === 'string' && v.includes('|enc1.k1.'))).toBe(true);
    for (const value of raw) {
      expect(value).not.toContain(secret);
      expect(value).not.toContain(token);
    }
    // Without a key the same record is readable by anyone with Redis access: the check can fail.
    const plain = open({ encryption: false });
    await plain.set('instance:i1', record);
    expect(await admin.get(`${prefixes.get(plain)!}kv:instance:i1`)).toContain(secret);
    await store.close();
    await plain.close();
  });

  it('sets the Redis expiry (PX) for a TTL', async () => {
    const store = open({ encryption: false });
    await store.set('pending:s', 1, { ttlMs: 60_000 });
    const pttl = await admin.pttl(`${prefixes.get(store)!}kv:pending:s`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
    await store.close();
  });

  it('reports a tampered value as DECRYPTION_FAILED naming the key id', async () => {
    const store = open({ encryption: { keys: [key('k1')] } });
    const redisKey = `${prefixes.get(store)!}kv:instance:i1`;
    await store.set('instance:i1', record);
    const raw = (await admin.get(redisKey))!;
    await admin.set(redisKey, `${raw.slice(0, -2)}${raw.endsWith('AA') ? 'BB' : 'AA'}`);
    const error = await store.get('instance:i1').catch((e: unknown) => e);
    expect(SpliceError.is(error, 'DECRYPTION_FAILED')).toBe(true);
    expect((error as Error).message).toContain('"k1"');
    await store.close();
  });

  it('keeps deployments apart by prefix', async () => {
    const a = open({ encryption: false });
    const b = open({ encryption: false });
    await a.set('instance:x', 'a');
    expect(await b.get('instance:x')).toBeUndefined();
    expect(await b.keys('')).toEqual([]);
    expect(await b.acquireLease('lock', 60_000)).toBeDefined();
    expect(await a.acquireLease('lock', 60_000)).toBeDefined();
    await a.close();
    await b.close();
  });

  it('reloads its scripts after SCRIPT FLUSH', async () => {
    const store = open({ encryption: false });
    await store.set('k', 1);
    await admin.script('FLUSH');
    expect(await store.set('k', 2, { ifVersion: 1 })).toBe(2);
    expect(await store.take('k')).toBe(2);
    await store.close();
  });

  it('uses a client passed in and leaves it open on close', async () => {
    const client = new Redis();
    const store = new RedisStore({ client, prefix: `${runPrefix}shared:`, encryption: false });
    await store.set('k', 1);
    await store.close();
    expect(await client.ping()).toBe('PONG');
    const error = await store.get('k').catch((e: unknown) => e);
    expect(SpliceError.is(error, 'STORE_UNAVAILABLE')).toBe(true);
    await client.quit();
  });

  it('quits the client it created on close', async () => {
    const store = open({ encryption: false, clientOptions: { host: '127.0.0.1', port: 6379 } });
    await store.set('k', 1);
    await store.close();
    await store.close();
    const error = await store.get('k').catch((e: unknown) => e);
    expect(SpliceError.is(error, 'STORE_UNAVAILABLE')).toBe(true);
  });

  it('reports an unreachable Redis as STORE_UNAVAILABLE', async () => {
    const store = open({
      encryption: false,
      clientOptions: {
        host: '127.0.0.1',
        port: 1,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
      },
    });
    const error = await store.get('k').catch((e: unknown) => e);
    expect(SpliceError.is(error, 'STORE_UNAVAILABLE')).toBe(true);
    await store.close();
  });

  it('rejects bad options with coded TypeErrors', () => {
    for (const options of [
      { prefix: 42 },
      { client: new Redis({ lazyConnect: true }), clientOptions: {} },
      { client: {} },
      { clientOptions: { keyPrefix: 'app:' } },
      { client: new Redis({ lazyConnect: true, keyPrefix: 'app:' }) },
      { encryption: { keys: [{ id: 'k', key: randomBytes(16) }] } },
      { encryption: { require: true } },
    ]) {
      expect(() => new RedisStore(options as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
  });
});

// No Redis needed: a refused port and a server that accepts and never answers. ioredis alone
// reports the first after its reconnect attempts (~10 s) and never reports the second; the store's
// `timeoutMs` bounds both. The test's own timeout (well above the store's) is what fails before.
describe('RedisStore with Redis unreachable', () => {
  const TIMEOUT_MS = 400;
  const TEST_TIMEOUT_MS = 4000;

  it(
    'reports a refused port as STORE_UNAVAILABLE within timeoutMs',
    async () => {
      const store = new RedisStore({
        encryption: false,
        timeoutMs: TIMEOUT_MS,
        clientOptions: { host: '127.0.0.1', port: 1 },
      });
      for (const operation of [
        () => store.get('k'),
        () => store.set('k', 1),
        () => store.acquireLease('lock', 1000),
      ]) {
        const error = await operation().catch((e: unknown) => e);
        expect(SpliceError.is(error, 'STORE_UNAVAILABLE')).toBe(true);
      }
      await store.close();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reports a server that never answers as STORE_UNAVAILABLE naming the bound',
    async () => {
      const sockets = new Set<Socket>();
      const silent = createServer((socket) => {
        sockets.add(socket);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      const { port } = silent.address() as AddressInfo;
      // A client passed in, without ioredis timeouts of its own: the store's bound still holds.
      const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
      client.on('error', () => {});
      const store = new RedisStore({ client, encryption: false, timeoutMs: TIMEOUT_MS });
      const error = await store.set('k', 1).catch((e: unknown) => e);
      expect(SpliceError.is(error, 'STORE_UNAVAILABLE')).toBe(true);
      expect((error as SpliceError).details).toMatchObject({ timeoutMs: TIMEOUT_MS });
      expect((error as Error).message).toContain(`within ${TIMEOUT_MS} ms`);
      await store.close();
      client.disconnect();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    },
    TEST_TIMEOUT_MS,
  );

  it('rejects a timeoutMs that is not a positive number', () => {
    for (const timeoutMs of [0, -1, Number.NaN, '3000']) {
      expect(() => new RedisStore({ timeoutMs: timeoutMs as never, encryption: false })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
  });
});
