import { MemoryStore, SpliceError, storeKeys } from '@splice/core';
import type { Runtime } from '@splice/endpoint-runtime';
import { createRuntime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import {
  type ProviderSimulator,
  type ResourceServer,
  startProviderSimulator,
  startResourceServer,
} from '@splice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersConnector, tokenAuth } from '../src/index.js';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback';
const API_TOKEN = 'acme_0123456789abcdef';

let sim: ProviderSimulator;
let api: ResourceServer;
let runtime: Runtime;
const store = new MemoryStore();

beforeAll(async () => {
  sim = await startProviderSimulator({ redirectUris: [CALLBACK] });
  // Acme's API: bearer tokens the provider issued (OAuth 2 instances), or the one API token in
  // X-Acme-Token (token instances); the echo says which credential let a request in.
  api = await startResourceServer({
    verify: (token) => sim.verifyAccessToken(token),
    keys: [{ name: 'token', header: 'x-acme-token', accept: [API_TOKEN] }],
  });
  const strategies = [oauth2AuthorizationCode(), tokenAuth()];
  runtime = createRuntime({
    connectors: [
      ordersConnector(
        { authorise: sim.authorizationUrl, token: sim.tokenUrl, api: api.url },
        strategies,
      ),
    ],
    strategies,
    store,
    callbackUrl: CALLBACK,
  });
});
afterAll(async () => {
  await runtime.close();
  await api.close();
  await sim.close();
});

function addTokenInstance(token: string) {
  return runtime.addInstance({
    connectorId: 'acme',
    authMethodId: 'acme-token',
    name: 'Acme ops token',
    variables: { account: 'northwind', token },
  });
}

function addOAuthInstance() {
  // `oauth_authorised_code`: a code obtained elsewhere, exchanged directly (no browser step).
  return runtime.addInstance({
    connectorId: 'acme',
    authMethodId: 'acme-oauth',
    name: 'Acme OAuth',
    variables: {
      account: 'northwind',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
      oauth_authorised_code: sim.issueCode(CALLBACK),
    },
  });
}

describe('an orders endpoint enabled only for the token method', () => {
  it('is offered to a token instance and absent for an OAuth 2 instance', async () => {
    const token = await addTokenInstance(API_TOKEN);
    const oauth = await addOAuthInstance();
    expect((await runtime.listEndpoints(token)).map((e) => e.id)).toEqual(['orders', 'products']);
    const forOAuth = (await runtime.listEndpoints(oauth)).map((e) => e.id);
    expect(forOAuth).toEqual(['customers', 'products']);
    expect(forOAuth).not.toContain('orders');
  });

  it('cannot be called with an OAuth 2 instance, even directly: ENDPOINT_NOT_ENABLED, nothing sent', async () => {
    const oauth = await addOAuthInstance();
    const before = api.requests.length;
    let error: unknown;
    try {
      await runtime.callEndpoint(oauth, 'orders');
    } catch (e) {
      error = e;
    }
    expect(SpliceError.is(error, 'ENDPOINT_NOT_ENABLED')).toBe(true);
    expect(api.requests.length).toBe(before);
  });

  it('is called with the token in its header; shared endpoints work for both methods', async () => {
    const token = await addTokenInstance(API_TOKEN);
    const oauth = await addOAuthInstance();
    const orders = await runtime.callEndpoint<{ path: string; query: object; credential: string }>(
      token,
      'orders',
    );
    expect(orders.data).toMatchObject({
      path: '/northwind/orders',
      query: { status: 'open' },
      credential: 'token',
    });
    expect(
      (await runtime.callEndpoint<{ credential: string }>(token, 'products')).data.credential,
    ).toBe('token');
    expect(
      (await runtime.callEndpoint<{ credential: string }>(oauth, 'products')).data.credential,
    ).toBe('bearer');
    expect(
      (await runtime.callEndpoint<{ credential: string }>(oauth, 'customers')).data.credential,
    ).toBe('bearer');
  });
});

describe('tokenAuth', () => {
  it('checks the token at the test URL before the instance is saved', async () => {
    const before = api.requests.filter((r) => r.path === '/northwind/me' && r.accepted).length;
    const instance = await addTokenInstance(API_TOKEN);
    expect(api.requests.filter((r) => r.path === '/northwind/me' && r.accepted)).toHaveLength(
      before + 1,
    );
    expect(instance.variables['token']).toBe('[redacted]');
    expect(JSON.stringify(instance)).not.toContain(API_TOKEN);
  });

  it('refuses a token the API rejects, and saves nothing', async () => {
    const keys = (await store.keys(storeKeys.instances)).length;
    let error: unknown;
    try {
      await addTokenInstance('acme_wrong_but_well_formed');
    } catch (e) {
      error = e;
    }
    expect(SpliceError.is(error, 'CREDENTIALS_INVALID')).toBe(true);
    expect((error as Error).message).toContain('HTTP 401');
    expect((error as Error).message).not.toContain('acme_wrong_but_well_formed');
    expect((await store.keys(storeKeys.instances)).length).toBe(keys);
  });

  it('refuses a malformed token without a request and without echoing it', async () => {
    const before = api.requests.length;
    let error: unknown;
    try {
      await addTokenInstance('short tok');
    } catch (e) {
      error = e;
    }
    expect(SpliceError.is(error, 'CREDENTIALS_INVALID')).toBe(true);
    expect((error as Error).message).not.toContain('short tok');
    expect(api.requests.length).toBe(before);
  });

  it('checks its header option at once', () => {
    expect(() => tokenAuth({ header: 'Bad Header' })).toThrow(TypeError);
  });
});
