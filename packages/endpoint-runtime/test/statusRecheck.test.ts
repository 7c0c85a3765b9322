// Two runtimes on one store, as two processes of an engine: B caches an instance as
// `reauthorization_required`, A renews it. B sees the renewal after `statusRecheckMs`, with at
// most one record read per interval while refusing and none on a healthy call.
import { type JsonObject, MemoryStore, SpliceError, storeKeys } from '@splice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  recordingLogger,
  rejection,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
} from './support/fixtures.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  // The API refuses the first token only (its grant is dead); any later one is fine.
  server.handle = (req, res) => {
    const dead = req.headers.authorization === 'Bearer tok-1';
    res.writeHead(dead ? 401 : 200, { 'content-type': 'application/json' });
    res.end(dead ? '{"error":"invalid_token"}' : '{"ok":true}');
  };
});
afterAll(() => server.close());

/** A memory store that counts `get` calls (the store reads a call path makes) and can fail them. */
class CountingStore extends MemoryStore {
  gets = 0;
  failing = false;
  override get: MemoryStore['get'] = (key) => {
    this.gets += 1;
    if (this.failing) {
      return Promise.reject(new SpliceError('STORE_UNAVAILABLE', 'the store is down'));
    }
    return super.get(key);
  };
}

describe('statusRecheckMs', () => {
  it('a renewal made by another runtime on the store is seen once the interval has passed', async () => {
    const store = new CountingStore();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = () => now;
    const strategyA = testOAuthStrategy();
    const strategyB = testOAuthStrategy();
    strategyB.refreshMode = 'dead';
    const options = { connectors: [acmeConnector(server.url)], store, now: clock };
    const a = createRuntime({ ...options, strategies: [strategyA, testTokenStrategy()] });
    const b: Runtime = createRuntime({
      ...options,
      strategies: [strategyB, testTokenStrategy()],
      statusRecheckMs: 1000,
    });
    try {
      const begun = await a.beginAuthorization({
        connectorId: 'acme',
        authMethodId: 'acme-oauth',
        name: 'OAuth',
        variables: { account: 'eu', client_id: 'c1' },
      });
      const instance = await a.completeAuthorization({ code: 'good-code', state: begun.state });

      // B: the API refuses tok-1 and the refresh says the grant is dead.
      expect(await rejection(b.callEndpoint(instance, 'profile'))).toMatchObject({
        code: 'REAUTHORIZATION_REQUIRED',
      });
      expect((await b.getInstance(instance.id))?.status).toBe('reauthorization_required');

      // A renews the instance: new consent, tok-2, status active.
      const renewal = await a.beginAuthorization({ instanceId: instance.id });
      await a.completeAuthorization({ code: 'good-code', state: renewal.state });
      expect((await a.getInstance(instance.id))?.status).toBe('active');

      // Within the interval B refuses from its cache: no request, no store read.
      const sent = server.requests.length;
      now += 999;
      store.gets = 0;
      for (let i = 0; i < 3; i++) {
        expect(await rejection(b.callEndpoint(instance, 'profile'))).toMatchObject({
          code: 'REAUTHORIZATION_REQUIRED',
        });
      }
      expect(store.gets).toBe(0);
      expect(server.requests.length).toBe(sent);

      // After it, B re-reads the record, forgets its stale credentials and calls with tok-2;
      // concurrent calls share that one read.
      now += 1;
      const results = await Promise.all(
        Array.from({ length: 3 }, () => b.callEndpoint(instance, 'profile')),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(server.requests.slice(sent).map((r) => r.headers.authorization)).toEqual([
        'Bearer tok-2',
        'Bearer tok-2',
        'Bearer tok-2',
      ]);

      // Healthy: the call path reads nothing.
      store.gets = 0;
      now += 10_000;
      await b.callEndpoint(instance, 'profile');
      expect(store.gets).toBe(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps refusing, and logs, when the store cannot be read at a recheck', async () => {
    const store = new CountingStore();
    const logger = recordingLogger();
    let now = Date.parse('2026-01-01T00:00:00Z');
    const runtime = createRuntime({
      connectors: [acmeConnector(server.url)],
      strategies: [testOAuthStrategy(), testTokenStrategy()],
      store,
      logger,
      now: () => now,
      statusRecheckMs: 1000,
    });
    try {
      const instance = await runtime.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-token',
        name: 'Token',
        variables: { account: 'eu', api_key: 'key-recheck1' },
      });
      // Another process recorded a dead credential.
      const key = storeKeys.instance(instance.id);
      const entry = (await store.get<JsonObject>(key))!;
      await store.set(key, { ...entry.value, status: 'reauthorization_required' });
      expect(await rejection(runtime.callEndpoint(instance, 'orders'))).toMatchObject({
        code: 'REAUTHORIZATION_REQUIRED',
      });
      store.failing = true;
      now += 1000;
      expect(await rejection(runtime.callEndpoint(instance, 'orders'))).toMatchObject({
        code: 'REAUTHORIZATION_REQUIRED',
      });
      expect(logger.lines).toContainEqual({
        level: 'warn',
        message: 'Could not recheck the status of an instance',
        fields: { instanceId: instance.id, code: 'STORE_UNAVAILABLE' },
      });
    } finally {
      store.failing = false;
      await runtime.close();
    }
  });

  it('refuses a negative or fractional value with INVALID_OPTION', () => {
    for (const statusRecheckMs of [-1, 1.5]) {
      expect(() =>
        createRuntime({ connectors: [acmeConnector(server.url)], statusRecheckMs }),
      ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });
});
