import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStore, storeKeys } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { type ResourceServer, type ResourceServerEcho, startResourceServer } from '@splice/testkit';
import { describeStrategyConformance } from '@splice/testkit/conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tokenAuth } from '../src/token/index.js';
import { connector, rejection, shown } from './support.js';

const TOKEN = 'shpat_0123456789abcdef0123';

// An API that takes the token as a bearer token, in X-Shopify-Access-Token, or as ?api_key=.
const startApi = () =>
  startResourceServer({
    verify: (token) => token === TOKEN,
    keys: [
      { name: 'shopify', header: 'x-shopify-access-token', accept: [TOKEN] },
      { name: 'query', query: 'api_key', accept: [TOKEN] },
    ],
  });

describeStrategyConformance({
  name: 'token against a resource server',
  strategy: () => tokenAuth(),
  setup: async () => {
    const api = await startApi();
    return {
      connector: connector(
        [{ id: 'acme-token', type: 'token', urls: { test: `${api.url}/me` } }],
        [],
        [tokenAuth()],
      ),
      values: { token: TOKEN },
      teardown: () => api.close(),
    };
  },
});

describe('token through createRuntime', () => {
  let api: ResourceServer;
  let store: MemoryStore;
  let runtime: Runtime;

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());
  afterEach(() => runtime?.close());

  function start() {
    const methods = [
      { id: 'bearer', type: 'token', urls: { test: `${api.url}/me` } },
      {
        id: 'shopify',
        type: 'token',
        urls: { test: `${api.url}/shop.json` },
        apply: { headers: { 'X-Shopify-Access-Token': '{{token}}' } },
      },
      { id: 'query', type: 'token', apply: { query: { api_key: '{{token}}' } } },
    ];
    const endpoints = [
      { id: 'bearer-items', url: `${api.url}/items?page=1`, methods: ['bearer'] },
      { id: 'shopify-items', url: `${api.url}/items`, methods: ['shopify'] },
      { id: 'query-items', url: `${api.url}/items?page=2`, methods: ['query'] },
    ];
    store = new MemoryStore();
    runtime = createRuntime({
      connectors: [connector(methods, endpoints, [tokenAuth({ retries: 0 })])],
      strategies: [tokenAuth({ retries: 0 })],
      store,
    });
    return runtime;
  }

  const add = (authMethodId: string, token: string) =>
    runtime.addInstance({
      connectorId: 'acme',
      authMethodId,
      name: authMethodId,
      variables: { token },
    });

  it('sends the token as a bearer token by default, checked at the test URL first', async () => {
    start();
    const before = api.counts.accepted;
    const instance = await add('bearer', TOKEN);
    expect(api.counts.accepted).toBe(before + 1); // the check at /me
    expect(instance.variables['token']).toBe('[redacted]');
    expect(JSON.stringify(instance)).not.toContain(TOKEN);
    const result = await runtime.callEndpoint<ResourceServerEcho>(instance, 'bearer-items');
    expect(result.data).toMatchObject({
      path: '/items',
      query: { page: '1' },
      credential: 'bearer',
    });
  });

  it('puts the token in any header a method’s apply names (X-Shopify-Access-Token)', async () => {
    start();
    const instance = await add('shopify', TOKEN);
    const result = await runtime.callEndpoint<ResourceServerEcho>(instance, 'shopify-items');
    expect(result.data.credential).toBe('shopify');
    expect(result.data.headers['authorization']).toBeUndefined();
  });

  it('puts the token in a query parameter when the apply says so', async () => {
    start();
    const instance = await add('query', TOKEN);
    const result = await runtime.callEndpoint<ResourceServerEcho>(instance, 'query-items');
    expect(result.data).toMatchObject({ query: { page: '2' }, credential: 'query' });
  });

  it('refuses a wrong token with CREDENTIALS_INVALID, saves nothing and never shows it', async () => {
    start();
    const rejected = api.counts.rejected;
    for (const method of ['bearer', 'shopify']) {
      const error = await rejection(add(method, 'shpat_wrong_wrong_wrong_000'));
      expect(error.code).toBe('CREDENTIALS_INVALID');
      expect(error.details).toMatchObject({ authMethodId: method, status: 401 });
      expect(shown(error)).not.toContain('shpat_wrong_wrong_wrong_000');
    }
    expect(api.counts.rejected).toBe(rejected + 2);
    expect(await runtime.listInstances()).toEqual([]);
    expect(await store.keys(storeKeys.credentials(''))).toEqual([]);
  });

  it('saves nothing when the test URL answers neither success nor refusal: CREDENTIALS_CHECK_FAILED', async () => {
    // An API of its own whose check URL is down for maintenance.
    const shared = api;
    api = await startResourceServer({
      verify: (token) => token === TOKEN,
      routes: { 'GET /me': () => ({ status: 503, body: { error: 'maintenance' } }) },
    });
    start();
    try {
      const error = await rejection(add('bearer', TOKEN));
      expect(error.code).toBe('CREDENTIALS_CHECK_FAILED');
      expect(error.details).toMatchObject({ authMethodId: 'bearer', status: 503 });
      expect(shown(error)).not.toContain(TOKEN);
      expect(await runtime.listInstances()).toEqual([]);
      expect(await store.keys(storeKeys.credentials(''))).toEqual([]);
    } finally {
      await api.close();
      api = shared;
    }
  });

  it('without a test URL saves the token unchecked; the API refuses it on the call', async () => {
    start();
    const before = api.counts.requests;
    const instance = await add('query', 'shpat_wrong_wrong_wrong_000');
    expect(api.counts.requests).toBe(before);
    const error = await rejection(runtime.callEndpoint(instance, 'query-items'));
    expect(error.code).toBe('ENDPOINT_HTTP_ERROR');
    expect(error.details['status']).toBe(401);
  });

  it('takes a rotated token through updateInstance: checked first, then sent; a wrong one changes nothing', async () => {
    start();
    const instance = await add('query', 'shpat_wrong_wrong_wrong_000');
    expect((await rejection(runtime.callEndpoint(instance, 'query-items'))).details['status']).toBe(
      401,
    );
    await runtime.updateInstance(instance, { variables: { token: TOKEN } });
    const result = await runtime.callEndpoint<ResourceServerEcho>(instance, 'query-items');
    expect(result.data.credential).toBe('query');
    expect(await runtime.credentialStatus(instance)).toMatchObject({
      state: 'valid',
      refreshable: false,
    });

    const checked = await add('bearer', TOKEN);
    const error = await rejection(
      runtime.updateInstance(checked, { variables: { token: 'shpat_wrong_wrong_wrong_000' } }),
    );
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(shown(error)).not.toContain('shpat_wrong_wrong_wrong_000');
    const still = await runtime.callEndpoint<ResourceServerEcho>(checked, 'bearer-items');
    expect(still.data.credential).toBe('bearer');
  });

  it('refuses an endpoint of another method with ENDPOINT_NOT_ENABLED, sending nothing', async () => {
    start();
    const instance = await add('bearer', TOKEN);
    const before = api.counts.requests;
    const error = await rejection(runtime.callEndpoint(instance, 'shopify-items'));
    expect(error.code).toBe('ENDPOINT_NOT_ENABLED');
    expect(api.counts.requests).toBe(before);
  });

  it('says the check could not reach the test URL (ENDPOINT_REQUEST_FAILED), saving nothing', async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    runtime = createRuntime({
      connectors: [
        connector(
          [{ id: 'bearer', type: 'token', urls: { test: `http://127.0.0.1:${port}/me` } }],
          [],
          [tokenAuth({ retries: 0 })],
        ),
      ],
      strategies: [tokenAuth({ retries: 0 })],
    });
    const error = await rejection(add('bearer', TOKEN));
    expect(error.code).toBe('ENDPOINT_REQUEST_FAILED');
    expect(shown(error)).not.toContain(TOKEN);
    expect(await runtime.listInstances()).toEqual([]);
  });
});
