import { MemoryStore } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { type ResourceServer, type ResourceServerEcho, startResourceServer } from '@splice/testkit';
import { describeStrategyConformance } from '@splice/testkit/conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../src/basic/index.js';
import { connector, rejection, shown } from './support.js';

const USERNAME = 'José'; // NFC
const PASSWORD = 'pässwörd £ 🔑';
// The header the API expects, written out from RFC 7617 §2 / §2.1: UTF-8, then Base64.
const EXPECTED = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`, 'utf8').toString('base64')}`;

const startApi = () =>
  startResourceServer({ keys: [{ name: 'basic', header: 'authorization', accept: [EXPECTED] }] });

describeStrategyConformance({
  name: 'basic against a resource server',
  strategy: () => basicAuth(),
  setup: async () => {
    const api = await startApi();
    return {
      connector: connector(
        [{ id: 'acme-basic', type: 'basic', urls: { test: `${api.url}/me` } }],
        [],
        [basicAuth()],
      ),
      values: { username: USERNAME, password: PASSWORD },
      teardown: () => api.close(),
    };
  },
});

describe('basic through createRuntime', () => {
  let api: ResourceServer;
  let runtime: Runtime;

  beforeAll(async () => {
    api = await startApi();
    runtime = createRuntime({
      connectors: [
        connector(
          [{ id: 'woo', type: 'basic', urls: { test: `${api.url}/wp-json/wc/v3` } }],
          [{ id: 'orders', url: `${api.url}/wp-json/wc/v3/orders`, methods: ['woo'] }],
          [basicAuth({ retries: 0 })],
        ),
      ],
      strategies: [basicAuth({ retries: 0 })],
      store: new MemoryStore(),
    });
  });
  afterAll(async () => {
    await runtime.close();
    await api.close();
  });
  afterEach(async () => {
    for (const instance of await runtime.listInstances()) await runtime.deleteInstance(instance);
  });

  const add = (username: string, password: string) =>
    runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'woo',
      name: 'Shop',
      variables: { username, password },
    });

  it('sends Authorization: Basic with the UTF-8 pair, checked at the test URL first', async () => {
    const before = api.counts.accepted;
    const instance = await add(USERNAME, PASSWORD);
    expect(api.counts.accepted).toBe(before + 1);
    expect(instance.variables['password']).toBe('[redacted]');
    const result = await runtime.callEndpoint<ResourceServerEcho>(instance, 'orders');
    expect(result.data).toMatchObject({ path: '/wp-json/wc/v3/orders', credential: 'basic' });
  });

  it('normalizes to NFC first (RFC 7617 §2.1): a decomposed "é" is the same user', async () => {
    const instance = await add('Jose\u0301', PASSWORD);
    expect((await runtime.callEndpoint<ResourceServerEcho>(instance, 'orders')).status).toBe(200);
  });

  it('refuses a wrong password with CREDENTIALS_INVALID, saves nothing and never shows it', async () => {
    const error = await rejection(add(USERNAME, 'wrong-password-123'));
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(error.details).toMatchObject({ authMethodId: 'woo', status: 401 });
    expect(shown(error)).not.toContain('wrong-password-123');
    expect(await runtime.listInstances()).toEqual([]);
  });

  it('refuses a user-id with ":" or a control character before any request (RFC 7617 §2)', async () => {
    const before = api.counts.requests;
    const colon = await rejection(add('ops:admin', PASSWORD));
    expect(colon.code).toBe('VARIABLE_INVALID');
    expect(colon.details['key']).toBe('username');
    const control = await rejection(add(USERNAME, 'pass\nword-secret'));
    expect(control.code).toBe('VARIABLE_INVALID');
    expect(control.details['key']).toBe('password');
    expect(shown(control)).not.toContain('word-secret');
    expect(api.counts.requests).toBe(before);
    expect(await runtime.listInstances()).toEqual([]);
  });
});
