// Zoho's lifecycle against its profile (an EU user): accounts-server and location from the
// callback, api_domain from the token answer, Zoho-oauthtoken on the API, refresh at the EU
// accounts server without rotation, HTTP 200 invalid_code as the dead grant, renewal.
import { afterEach, expect, it } from 'vitest';
import { connectorDefinition } from '../src/index.js';
import {
  type Echo,
  type ProviderWorld,
  rejection,
  startProviderWorld,
} from './support/providerWorld.js';

let world: ProviderWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

it('accepts the accounts servers and API hosts of every data centre', () => {
  const captured = connectorDefinition('zoho').authMethods[0]?.captured ?? [];
  const origins = Object.fromEntries(captured.map((c) => [c.key, c.origins]));
  const centres = [
    'zoho.com',
    'zoho.eu',
    'zoho.in',
    'zoho.com.au',
    'zoho.jp',
    'zoho.sa',
    'zoho.uk',
  ];
  for (const centre of centres) {
    expect(origins['accounts_server']).toContain(`https://accounts.${centre}`);
    expect(origins['api_domain']).toContain(`https://www.${centre.replace('zoho', 'zohoapis')}`);
  }
  expect(origins['accounts_server']).toContain('https://accounts.zohocloud.ca');
  expect(origins['api_domain']).toContain('https://www.zohoapis.ca');
});

it('consent in the EU → every endpoint → expiry → refreshes → 200 invalid_code → renewal', async () => {
  world = await startProviderWorld('zoho');
  const { sim, runtime } = world;

  const instance = await world.consent();
  expect(instance.status).toBe('active');
  expect(instance.captured).toEqual({
    accounts_server: sim.issuer,
    location: 'eu',
    api_domain: sim.issuer,
  });

  const calls = [
    ['list-leads', 'GET', '/crm/v7/Leads', {}],
    ['list-contacts', 'GET', '/crm/v7/Contacts', {}],
    ['create-leads', 'POST', '/crm/v7/Leads', { body: { data: [{ Last_Name: 'Doe' }] } }],
    ['update-leads', 'PUT', '/crm/v7/Leads', { body: { data: [{ id: '1', City: 'Oslo' }] } }],
  ] as const;
  for (const [id, method, path, input] of calls) {
    const { data } = await runtime.callEndpoint<Echo>(instance, id, input);
    expect([data.method, data.path]).toEqual([method, path]);
    expect(data.headers['authorization']).toMatch(/^Zoho-oauthtoken /);
  }

  // Refreshes go to the accounts server of the callback; the refresh token is never replaced.
  for (const round of [1, 2]) {
    sim.expireAccessTokens();
    const { data } = await runtime.callEndpoint<Echo>(instance, 'list-leads');
    expect(data.query).toEqual({ fields: 'Last_Name,Email,Company', per_page: '200' });
    expect(sim.counts.refreshToken).toBe(round);
  }
  expect(sim.counts.invalidGrant).toBe(0);

  sim.revokeRefreshTokens();
  sim.expireAccessTokens();
  sim.resetCounts();
  for (let i = 0; i < 2; i += 1) {
    expect((await rejection(runtime.callEndpoint(instance, 'list-contacts'))).code).toBe(
      'REAUTHORIZATION_REQUIRED',
    );
  }
  expect(sim.requests.find((r) => r.grant === 'refresh_token')?.status).toBe(200);
  expect(sim.counts.invalidGrant).toBe(1);
  expect(world.reauthorizationEvents).toEqual([instance.id]);

  const renewed = await world.consent({ instanceId: instance.id });
  expect(renewed.status).toBe('active');
  const { data } = await runtime.callEndpoint<Echo>(renewed, 'list-contacts');
  expect(data.path).toBe('/crm/v7/Contacts');
});
