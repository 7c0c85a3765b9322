import type { Instance, SpliceError } from '@splice/core';
import { MemoryStore, storeKeys } from '@splice/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  recordingLogger,
  rejection,
  startTestServer,
  type TestOAuth,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
} from './support/fixtures.js';

let server: TestServer;
let runtime: Runtime | undefined;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  server.requests.length = 0;
});

/** Accepts only `valid` bearer tokens; 401 with RFC 6750 invalid_token otherwise. */
function acceptOnly(valid: Set<string>): void {
  server.handle = (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (token === undefined || !valid.has(token)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
      res.end(`{"error":"invalid_token","token":"${token}"}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token }));
  };
}

async function setup(): Promise<{
  runtime: Runtime;
  instance: Instance;
  oauth: TestOAuth;
  store: MemoryStore;
}> {
  const oauth = testOAuthStrategy();
  const store = new MemoryStore();
  runtime = createRuntime({
    connectors: [acmeConnector(server.url)],
    strategies: [oauth, testTokenStrategy()],
    store,
    logger: recordingLogger(),
  });
  const { state } = await runtime.beginAuthorization({
    connectorId: 'acme',
    authMethodId: 'acme-oauth',
    name: 'OAuth',
    variables: { account: 'eu', client_id: 'c' },
  });
  const instance = await runtime.completeAuthorization({ code: 'good-code', state });
  return { runtime, instance, oauth, store };
}

describe('callEndpoint with an expired token', () => {
  it('refreshes once, replays once and succeeds', async () => {
    const { runtime, instance, oauth } = await setup();
    acceptOnly(new Set(['tok-2']));
    const result = await runtime.callEndpoint<{ token: string }>(instance, 'profile');
    expect(result.data.token).toBe('tok-2');
    expect(oauth.refreshes).toBe(1);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
    // The new token is used from now on, without refreshing again.
    await runtime.callEndpoint(instance, 'profile');
    expect(oauth.refreshes).toBe(1);
    expect(server.requests).toHaveLength(3);
  });

  it('does not loop when the refreshed token is rejected too: one refresh, one replay, ENDPOINT_HTTP_ERROR', async () => {
    const { runtime, instance, oauth } = await setup();
    acceptOnly(new Set());
    const error = await rejection(runtime.callEndpoint(instance, 'profile'));
    expect(error.code).toBe('ENDPOINT_HTTP_ERROR');
    expect(error.details['status']).toBe(401);
    expect(error.message).toContain('credential refreshed once');
    expect(oauth.refreshes).toBe(1);
    expect(server.requests).toHaveLength(2);
    // The echoed token is scrubbed from the error body.
    expect(JSON.stringify(error.details)).not.toMatch(/tok-\d/);
  });
});

describe('reauthorization_required', () => {
  it('marks the instance once, fires the event once, and fails later calls without a request', async () => {
    const { runtime, instance, oauth, store } = await setup();
    oauth.refreshMode = 'dead';
    acceptOnly(new Set());
    const events: [Instance, SpliceError][] = [];
    runtime.on('reauthorizationRequired', (i, e) => events.push([i, e]));
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => runtime.callEndpoint(instance, 'profile')),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    for (const r of results) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({
        code: 'REAUTHORIZATION_REQUIRED',
      });
    }
    expect(events).toHaveLength(1);
    expect(events[0]?.[0]).toMatchObject({ id: instance.id, status: 'reauthorization_required' });
    expect(events[0]?.[1].code).toBe('REAUTHORIZATION_REQUIRED');
    expect((await store.get(storeKeys.instance(instance.id)))?.value).toMatchObject({
      status: 'reauthorization_required',
    });
    expect((await runtime.getInstance(instance.id))?.status).toBe('reauthorization_required');

    const before = server.requests.length;
    const error = await rejection(runtime.callEndpoint(instance, 'profile'));
    expect(error.code).toBe('REAUTHORIZATION_REQUIRED');
    expect(error.message).toContain('beginAuthorization({ instanceId');
    expect(server.requests.length).toBe(before);
  });

  it('is active again after re-authorization, and a listener that throws harms nobody', async () => {
    const { runtime, instance, oauth } = await setup();
    oauth.refreshMode = 'dead';
    acceptOnly(new Set());
    runtime.on('reauthorizationRequired', () => {
      throw new Error('listener bug');
    });
    await expect(runtime.callEndpoint(instance, 'profile')).rejects.toMatchObject({
      code: 'REAUTHORIZATION_REQUIRED',
    });
    const { state } = await runtime.beginAuthorization({ instanceId: instance.id });
    const renewed = await runtime.completeAuthorization({ code: 'good-code', state });
    expect(renewed.status).toBe('active');
    acceptOnly(new Set(['tok-2']));
    const result = await runtime.callEndpoint<{ token: string }>(instance, 'profile');
    expect(result.data.token).toBe('tok-2');
  });

  it('off() removes a listener', async () => {
    const { runtime, instance, oauth } = await setup();
    oauth.refreshMode = 'dead';
    acceptOnly(new Set());
    let fired = 0;
    const listener = (): void => {
      fired++;
    };
    runtime.on('reauthorizationRequired', listener).off('reauthorizationRequired', listener);
    await expect(runtime.callEndpoint(instance, 'profile')).rejects.toBeDefined();
    expect(fired).toBe(0);
  });
});

describe('retries through the runtime', () => {
  it('retries a GET on 503 and succeeds; a POST gets one attempt', async () => {
    const { runtime, instance } = await setup();
    let n = 0;
    server.handle = (_req, res) => {
      n++;
      res.writeHead(n === 1 ? 503 : 200, {
        'content-type': 'application/json',
        'retry-after': '0',
      });
      res.end('{}');
    };
    expect((await runtime.callEndpoint(instance, 'profile')).status).toBe(200);
    expect(server.requests).toHaveLength(2);
    n = 0;
    const error = await rejection(runtime.callEndpoint(instance, 'create-order', { body: {} }));
    expect(error.code).toBe('ENDPOINT_HTTP_ERROR');
    expect(error.details).toMatchObject({ status: 503, attempts: 1 });
    expect(server.requests).toHaveLength(3);
  });
});
