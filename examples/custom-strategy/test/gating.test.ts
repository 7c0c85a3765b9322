import { MemoryStore, SpliceError, storeKeys } from '@splice/core';
import type { Runtime } from '@splice/endpoint-runtime';
import { createRuntime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import {
  type ProviderSimulator,
  type ResourceServer,
  type ResourceServerEcho,
  startProviderSimulator,
  startResourceServer,
} from '@splice/testkit';
import { describeStrategyConformance } from '@splice/testkit/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersConnector, sessionLogin } from '../src/index.js';
import { type LoginServer, startLoginServer } from './loginServer.js';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback';
const ACCOUNT = { username: 'ops', password: 'correct horse battery', ttlSeconds: 3600 };

// Acme's API takes the provider's bearer tokens (OAuth 2 instances) or a live login session.
const startAcmeApi = (sim: ProviderSimulator, login: LoginServer) =>
  startResourceServer({
    verify: (token) => sim.verifyAccessToken(token),
    keys: [
      {
        name: 'session',
        header: 'authorization',
        accept: (value) => login.sessions.has(value.replace(/^Session /, '')),
      },
    ],
  });

// A strategy you write passes the same conformance suite as Splice's own.
describeStrategyConformance({
  name: 'session-login (the example strategy)',
  strategy: () => sessionLogin(),
  setup: async () => {
    const sim = await startProviderSimulator({ redirectUris: [CALLBACK] });
    const login = await startLoginServer(ACCOUNT);
    const api = await startAcmeApi(sim, login);
    const origins = {
      authorise: sim.authorizationUrl,
      token: sim.tokenUrl,
      login: `${login.url}/login`,
      api: api.url,
    };
    // The suite registers only the strategy under test: keep only its method.
    const full = ordersConnector(origins, [oauth2AuthorizationCode(), sessionLogin()]);
    const connector = {
      ...full,
      authMethods: full.authMethods.filter((m) => m.id === 'acme-session'),
      endpoints: full.endpoints
        .filter((e) => e.authMethods.includes('acme-session'))
        .map((e) => ({ ...e, authMethods: ['acme-session'] })),
    };
    return {
      connector,
      values: { account: 'northwind', username: ACCOUNT.username, password: ACCOUNT.password },
      teardown: async () => {
        await api.close();
        await login.close();
        await sim.close();
      },
    };
  },
});

let sim: ProviderSimulator;
let login: LoginServer;
let api: ResourceServer;
let runtime: Runtime;
const store = new MemoryStore();

beforeAll(async () => {
  sim = await startProviderSimulator({ redirectUris: [CALLBACK] });
  login = await startLoginServer(ACCOUNT);
  api = await startAcmeApi(sim, login);
  const strategies = [oauth2AuthorizationCode(), sessionLogin()];
  runtime = createRuntime({
    connectors: [
      ordersConnector(
        {
          authorise: sim.authorizationUrl,
          token: sim.tokenUrl,
          login: `${login.url}/login`,
          api: api.url,
        },
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
  await login.close();
  await sim.close();
});

function addSessionInstance(password = ACCOUNT.password) {
  return runtime.addInstance({
    connectorId: 'acme',
    authMethodId: 'acme-session',
    name: 'Acme ops',
    variables: { account: 'northwind', username: ACCOUNT.username, password },
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

describe('an orders endpoint enabled only for the session-login method', () => {
  it('is offered to a session instance and absent for an OAuth 2 instance', async () => {
    const session = await addSessionInstance();
    const oauth = await addOAuthInstance();
    expect((await runtime.listEndpoints(session)).map((e) => e.id)).toEqual(['orders', 'products']);
    const forOAuth = (await runtime.listEndpoints(oauth)).map((e) => e.id);
    expect(forOAuth).toEqual(['customers', 'products']);
  });

  it('cannot be called with an OAuth 2 instance, even directly: ENDPOINT_NOT_ENABLED, nothing sent', async () => {
    const oauth = await addOAuthInstance();
    const before = api.counts.requests;
    const error = await runtime.callEndpoint(oauth, 'orders').catch((e: unknown) => e);
    expect(SpliceError.is(error, 'ENDPOINT_NOT_ENABLED')).toBe(true);
    expect(api.counts.requests).toBe(before);
  });

  it('is called with the session; shared endpoints work for both methods', async () => {
    const session = await addSessionInstance();
    const oauth = await addOAuthInstance();
    const orders = await runtime.callEndpoint<ResourceServerEcho>(session, 'orders');
    expect(orders.data).toMatchObject({
      path: '/northwind/orders',
      query: { status: 'open' },
      credential: 'session',
    });
    const by = async (instance: typeof session, endpoint: string) =>
      (await runtime.callEndpoint<ResourceServerEcho>(instance, endpoint)).data.credential;
    expect(await by(session, 'products')).toBe('session');
    expect(await by(oauth, 'products')).toBe('bearer');
    expect(await by(oauth, 'customers')).toBe('bearer');
  });
});

describe('sessionLogin', () => {
  it('logs in when the instance is added, and keeps the password out of the instance', async () => {
    const logins = login.logins;
    const instance = await addSessionInstance();
    expect(login.logins).toBe(logins + 1);
    expect(instance.variables['password']).toBe('[redacted]');
    expect(JSON.stringify(instance)).not.toContain(ACCOUNT.password);
  });

  it('refuses a wrong password with CREDENTIALS_INVALID and saves nothing', async () => {
    const keys = (await store.keys(storeKeys.instances)).length;
    const error = await addSessionInstance('wrong password 123').catch((e: unknown) => e);
    expect(SpliceError.is(error, 'CREDENTIALS_INVALID')).toBe(true);
    expect((error as Error).message).not.toContain('wrong password 123');
    expect((await store.keys(storeKeys.instances)).length).toBe(keys);
  });

  it('logs in again once when the API drops the sessions, and the call is replayed', async () => {
    const session = await addSessionInstance();
    await runtime.callEndpoint(session, 'orders');
    login.dropSessions();
    const logins = login.logins;
    const rejected = api.counts.rejected;
    // Concurrent calls that all meet the dropped session share one new login.
    const results = await Promise.all(
      Array.from({ length: 5 }, () => runtime.callEndpoint(session, 'orders')),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(login.logins).toBe(logins + 1);
    expect(api.counts.rejected).toBe(rejected + 5);
  });

  it('needs urls.login: a definition without it is refused at load', () => {
    expect(() =>
      ordersConnector({ authorise: CALLBACK, token: CALLBACK, login: '', api: CALLBACK }, [
        oauth2AuthorizationCode(),
        sessionLogin(),
      ]),
    ).toThrow(/urls\.login/);
  });
});
