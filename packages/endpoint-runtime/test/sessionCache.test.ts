import { type AuthStrategy, MemoryStore, storeKeys } from '@splice/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  rejection,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
} from './support/fixtures.js';

/** A MemoryStore that counts reads of each key. */
class CountingStore extends MemoryStore {
  readonly reads = new Map<string, number>();
  override get: MemoryStore['get'] = (key) => {
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
    return super.get(key);
  };
}

let server: TestServer;
let runtime: Runtime | undefined;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

async function setup(sessionCacheSize: number, tokenStrategy: AuthStrategy = testTokenStrategy()) {
  const store = new CountingStore();
  runtime = createRuntime({
    connectors: [acmeConnector(server.url)],
    strategies: [tokenStrategy, testOAuthStrategy()],
    store,
    sessionCacheSize,
  });
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) {
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: `I${i}`,
      variables: { account: `a${i}`, api_key: `key-cache${i}` },
    });
    ids.push(instance.id);
  }
  const recordReads = (id: string) => store.reads.get(storeKeys.instance(id)) ?? 0;
  return { runtime, ids, recordReads };
}

describe('session cache', () => {
  it('drops the least recently called sessions beyond sessionCacheSize and rebuilds them on the next call', async () => {
    const { runtime, ids, recordReads } = await setup(4);
    const [a, b, c, d] = ids as [string, string, string, string];
    for (const id of [a, b, c, d]) await runtime.callEndpoint(id, 'orders');
    const before = { a: recordReads(a), b: recordReads(b), c: recordReads(c) };
    // a and b were the older generation when c and d arrived: both were dropped, c was not.
    const again = await runtime.callEndpoint(a, 'orders');
    expect(again.status).toBe(200);
    expect(again.data).toMatchObject({ url: '/a0/orders/all' });
    expect(recordReads(a)).toBe(before.a + 1);
    await runtime.callEndpoint(c, 'orders');
    expect(recordReads(c)).toBe(before.c);
    await runtime.callEndpoint(b, 'orders');
    expect(recordReads(b)).toBe(before.b + 1);
  });

  it('tells the strategy to release the instances whose sessions it drops', async () => {
    const released: string[] = [];
    const release = (id: string) => void released.push(id);
    const { runtime, ids } = await setup(4, { ...testTokenStrategy(), release });
    const [a, b, c, d] = ids as [string, string, string, string];
    for (const id of [a, b, c, d]) await runtime.callEndpoint(id, 'orders');
    // a and b were the older generation when c and d arrived: their sessions were dropped.
    await new Promise((resolve) => setImmediate(resolve));
    expect(released.sort()).toEqual([a, b].sort());
    expect((await runtime.callEndpoint(a, 'orders')).status).toBe(200);
  });

  it('unloads an instance whose strategy release throws: a delete still completes', async () => {
    const release = () => {
      throw new Error('engine strategy bug');
    };
    const { runtime, ids } = await setup(2, { ...testTokenStrategy(), release });
    const [a] = ids as [string];
    await runtime.callEndpoint(a, 'orders');
    await runtime.deleteInstance(a);
    expect((await runtime.listInstances()).map((instance) => instance.id)).not.toContain(a);
  });

  it('keeps every session while they fit', async () => {
    const { runtime, ids, recordReads } = await setup(1_000);
    for (const id of ids) await runtime.callEndpoint(id, 'orders');
    const reads = ids.map(recordReads);
    for (const id of ids) await runtime.callEndpoint(id, 'orders');
    expect(ids.map(recordReads)).toEqual(reads);
  });

  it('rejects a sessionCacheSize below 2 with INVALID_OPTION', async () => {
    const error = await rejection(
      Promise.resolve().then(() =>
        createRuntime({ connectors: [], strategies: [], sessionCacheSize: 1 }),
      ),
    );
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain('sessionCacheSize');
  });
});
