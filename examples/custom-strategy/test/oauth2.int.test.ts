// End to end with real parts: oidc-provider as the authorization server (PKCE required, rotating
// refresh tokens), a node:http resource server that accepts only tokens oidc-provider issued, the
// OAuth 2 strategy and the runtime. Begin → consent → complete → list → call → the token dies
// server-side → the next call refreshes once, replays once and succeeds.
import { type Credentials, MemoryStore, storeKeys } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import {
  type AuthorizationServer,
  completeConsent,
  type ResourceServer,
  startAuthorizationServer,
  startResourceServer,
} from '@splice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersConnector, sessionLogin } from '../src/index.js';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback';

let auth: AuthorizationServer;
let api: ResourceServer;
let runtime: Runtime;
const store = new MemoryStore();

beforeAll(async () => {
  auth = await startAuthorizationServer({
    clients: [
      {
        clientId: 'acme-flows',
        redirectUris: [CALLBACK],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
    ],
  });
  api = await startResourceServer({ verify: (token) => auth.verifyAccessToken(token) });
  const strategies = [oauth2AuthorizationCode(), sessionLogin()];
  runtime = createRuntime({
    connectors: [
      ordersConnector(
        {
          authorise: auth.authorizationUrl,
          token: auth.tokenUrl,
          login: `${api.url}/login`,
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
  await auth.close();
});

async function storedCredentials(instanceId: string): Promise<Credentials> {
  const entry = await store.get(storeKeys.credentials(instanceId));
  return entry?.value as unknown as Credentials;
}

describe('an OAuth 2 instance against oidc-provider', () => {
  it('is added through consent, lists its endpoints, calls them, and survives a revoked token with one refresh and one replay', async () => {
    const client = auth.clients[0]!;
    const started = await runtime.beginAuthorization({
      connectorId: 'acme',
      authMethodId: 'acme-oauth',
      name: 'Acme (Northwind)',
      variables: {
        account: 'northwind',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        issuer: auth.issuer,
      },
    });
    expect(started.authorizationUrl.startsWith(auth.authorizationUrl)).toBe(true);
    expect(new URL(started.authorizationUrl).searchParams.get('code_challenge_method')).toBe(
      'S256',
    );

    const callbackUrl = await completeConsent(started.authorizationUrl);
    const instance = await runtime.completeAuthorization(callbackUrl);
    expect(instance).toMatchObject({
      connectorId: 'acme',
      authMethodId: 'acme-oauth',
      status: 'active',
    });
    expect(auth.counts.authorizationCode).toBe(1);
    // Saved before it was returned; the public view hides the client secret and holds no token.
    const first = await storedCredentials(instance.id);
    expect(first.values['access_token']).toBeTruthy();
    expect(first.values['refresh_token']).toBeTruthy();
    const serialized = JSON.stringify(instance);
    expect(serialized).not.toContain(client.clientSecret);
    expect(serialized).not.toContain(first.values['access_token']!);
    expect(serialized).not.toContain(first.values['refresh_token']!);

    const endpoints = (await runtime.listEndpoints(instance)).map((e) => e.id);
    expect(endpoints).toEqual(['customers', 'products']);

    const customers = await runtime.callEndpoint<{ path: string }>(instance, 'customers');
    expect(customers.status).toBe(200);
    expect(customers.data.path).toBe('/northwind/customers');
    const products = await runtime.callEndpoint<{ path: string }>(instance.id, 'products');
    expect(products.data.path).toBe('/northwind/products');
    expect(api.counts).toMatchObject({ accepted: 2, rejected: 0 });
    expect(auth.counts.refreshToken).toBe(0);

    // The provider revokes the access token; the API refuses it from now on.
    await auth.revokeAccessToken(first.values['access_token']!);
    const again = await runtime.callEndpoint<{ path: string }>(instance, 'customers');
    expect(again.status).toBe(200);
    expect(auth.counts.refreshToken).toBe(1); // one refresh
    expect(api.counts).toMatchObject({ accepted: 3, rejected: 1 }); // one refused request, one replay
    expect(auth.counts.invalidGrant).toBe(0);

    // The rotated refresh token was saved; later calls use the new access token with no refresh.
    const second = await storedCredentials(instance.id);
    expect(second.values['access_token']).not.toBe(first.values['access_token']);
    expect(second.values['refresh_token']).not.toBe(first.values['refresh_token']);
    await runtime.callEndpoint(instance, 'products');
    expect(auth.counts.refreshToken).toBe(1);
    expect(api.counts).toMatchObject({ accepted: 4, rejected: 1 });
  });

  it('refreshes once for many concurrent calls when every token expires server-side', async () => {
    const [instance] = await runtime.listInstances();
    const refreshes = auth.counts.refreshToken;
    const { accepted, rejected } = api.counts;
    await auth.expireAll();
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        runtime.callEndpoint<{ path: string }>(instance!, 'products'),
      ),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(auth.counts.refreshToken - refreshes).toBe(1);
    expect(api.counts.rejected - rejected).toBe(8); // each call: one refused request...
    expect(api.counts.accepted - accepted).toBe(8); // ...and one replay
    expect(auth.counts.invalidGrant).toBe(0);
  });

  it('marks a dead grant reauthorization_required, fires the event, and renews in place after a new consent', async () => {
    const [instance] = await runtime.listInstances();
    const id = instance!.id;
    const events: string[] = [];
    runtime.on('reauthorizationRequired', (marked, error) =>
      events.push(`${marked.id} ${error.code}`),
    );
    // The provider forgets the grant's refresh token, then every access token dies.
    const dead = (await storedCredentials(id)).values['refresh_token']!;
    await (await auth.provider.RefreshToken.find(dead))?.destroy();
    await auth.expireAll();
    const invalidGrants = auth.counts.invalidGrant;

    await expect(runtime.callEndpoint(id, 'products')).rejects.toMatchObject({
      code: 'REAUTHORIZATION_REQUIRED',
    });
    expect(auth.counts.invalidGrant - invalidGrants).toBe(1);
    expect(events).toEqual([`${id} REAUTHORIZATION_REQUIRED`]);
    expect((await runtime.getInstance(id))?.status).toBe('reauthorization_required');
    const refused = api.counts.requests;
    await expect(runtime.callEndpoint(id, 'products')).rejects.toMatchObject({
      code: 'REAUTHORIZATION_REQUIRED',
    });
    expect(api.counts.requests).toBe(refused); // failed fast, nothing sent

    const again = await runtime.beginAuthorization({ instanceId: id });
    const renewed = await runtime.completeAuthorization(
      await completeConsent(again.authorizationUrl),
    );
    expect(renewed).toMatchObject({ id, status: 'active' });
    const result = await runtime.callEndpoint<{ path: string }>(id, 'products');
    expect(result.data.path).toBe('/northwind/products');
    expect(events).toHaveLength(1);
  });

  it('still refuses the token-only orders endpoint for the OAuth 2 instance', async () => {
    const [instance] = await runtime.listInstances();
    await expect(runtime.callEndpoint(instance!, 'orders')).rejects.toMatchObject({
      code: 'ENDPOINT_NOT_ENABLED',
    });
  });
});
