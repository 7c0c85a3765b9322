// Shopify's lifecycle against its profile: the store's subdomain as the host of every URL,
// comma-separated scopes, expiring=1 on the token requests, the callback's shop checked against
// the instance's store and captured (its hmac left unchecked), X-Shopify-Access-Token on the Admin API (REST and GraphQL, version in the path),
// 1-hour tokens refreshed on the API's 401 with the refresh token replaced each time, dead grant,
// renewal.
import { MemoryStore } from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadBuiltInConnector } from '../src/index.js';
import {
  callEach,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  rejection,
  startProviderWorld,
} from './support/providerWorld.js';

const API = '/admin/api/2025-10';

describe('the shipped definition', () => {
  const strategies = [oauth2AuthorizationCode()];
  const start = (shop: string) => {
    const runtime = createRuntime({
      connectors: [loadBuiltInConnector('shopify', { strategies })],
      strategies,
      store: new MemoryStore(),
      callbackUrl: 'https://flows.example/oauth/callback',
    });
    onTestFinished(() => runtime.close());
    return runtime.beginAuthorization({
      connectorId: 'shopify',
      authMethodId: 'shopify-oauth',
      name: 'Acme store',
      variables: { shop, client_id: 'app-key', client_secret: 'app-secret' },
    });
  };

  it("sends the merchant to the store's own authorize URL, scopes comma-separated, no PKCE", async () => {
    const { authorizationUrl } = await start('acme-store');
    const url = new URL(authorizationUrl);
    expect(url.origin + url.pathname).toBe(
      'https://acme-store.myshopify.com/admin/oauth/authorize',
    );
    expect(url.searchParams.get('scope')).toBe('read_products,write_products');
    expect(url.searchParams.get('client_id')).toBe('app-key');
    expect(url.searchParams.has('code_challenge')).toBe(false);
  });

  it('refuses a store value that is not one DNS label, naming the variable', async () => {
    for (const shop of ['evil.example', 'acme/../x', 'acme-store.myshopify.com']) {
      const error = await rejection(start(shop));
      expect(error.code).toBe('TEMPLATE_UNSAFE_VALUE');
      expect(error.message).toContain('"shop"');
      expect(error.message).not.toContain(shop);
    }
  });
});

it("refuses a callback naming another store before the code is exchanged; the store's case does not matter", async () => {
  const other = await startProviderWorld('shopify', { variables: { shop: 'other-store' } });
  const error = await rejection(other.consent());
  expect(error.code).toBe('CAPTURE_INVALID');
  expect(error.details).toMatchObject({
    key: 'shop_domain',
    source: 'callback',
    reason: 'mismatch',
  });
  expect(error.message).not.toContain('acme-store');
  expect(other.sim.counts.token).toBe(0);

  const upper = await startProviderWorld('shopify', { variables: { shop: 'ACME-Store' } });
  const instance = await upper.consent();
  expect(instance.captured).toEqual({ shop_domain: 'acme-store.myshopify.com' });
});

it('consent → shop → every endpoint → 401 expiry → replaced refresh tokens → dead grant → renewal', async () => {
  const world = await startProviderWorld('shopify', { variables: { shop: 'acme-store' } });
  const { sim, runtime } = world;

  const instance = await world.consent();
  expect(instance.status).toBe('active');
  expect(instance.captured).toEqual({ shop_domain: 'acme-store.myshopify.com' });
  const authorize = new URL(world.authorizationUrls[0] ?? '').searchParams;
  expect(authorize.get('scope')).toBe('read_products,write_products');
  expect(authorize.has('code_challenge')).toBe(false);
  const exchange = sim.requests.find((r) => r.grant === 'authorization_code');
  expect(exchange?.clientAuth).toBe('client_secret_post');
  expect(exchange?.params['expiring']).toBe('1');

  const calls = [
    ['list-products', 'GET', `${API}/products.json`, {}],
    [
      'get-product',
      'GET',
      `${API}/products/632910392.json`,
      { variables: { product_id: '632910392' } },
    ],
    ['create-product', 'POST', `${API}/products.json`, { body: { product: { title: 'Burton' } } }],
    [
      'update-product',
      'PUT',
      `${API}/products/632910392.json`,
      {
        variables: { product_id: '632910392' },
        body: { product: { id: 632910392, title: 'New' } },
      },
    ],
    ['graphql', 'POST', `${API}/graphql.json`, { body: { query: '{ shop { name } }' } }],
  ] as const;
  const echoes = await callEach(world, instance, calls);
  for (const data of echoes) {
    // The token goes in Shopify's header, never as a bearer token.
    expect(data.headers['x-shopify-access-token']).toMatch(/^at_/);
    expect(data.headers['authorization']).toBeUndefined();
  }
  expect(echoes[0]?.query).toEqual({ limit: '250' });
  const preview = await runtime.previewRequest(instance, 'graphql');
  expect(preview.headers).toEqual({ 'x-shopify-access-token': '[redacted]' });
  expect(JSON.parse(echoes[4]?.body ?? '')).toEqual({ query: '{ shop { name } }' });

  // The Admin API's bare 401 (no Bearer challenge) refreshes and replays. The second refresh
  // spends the first one's replacement, which retires the original refresh token at Shopify:
  // the newest was kept.
  for (const echo of await expectRefreshOnExpiry(world, instance, 'list-products', 2)) {
    expect(echo.path).toBe(`${API}/products.json`);
  }
  expect(sim.counts.apiRejected).toBe(2);
  expect(sim.counts.retiredByReplacement).toBe(1);
  const refresh = sim.requests.find((r) => r.grant === 'refresh_token');
  expect([refresh?.clientAuth, refresh?.params['expiring']]).toEqual(['client_secret_post', '1']);

  const refused = await expectDeadGrant(world, instance, 'graphql');
  expect(refused?.status).toBe(400);

  const { renewed, echo } = await expectRenewal(world, instance, 'list-products');
  expect(renewed.captured).toEqual({ shop_domain: 'acme-store.myshopify.com' });
  expect(echo.path).toBe(`${API}/products.json`);
});
