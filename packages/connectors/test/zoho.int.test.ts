// Zoho's lifecycle against its profile (an EU user): accounts-server and location from the
// callback, api_domain from the token answer, Zoho-oauthtoken on the API, refresh at the EU
// accounts server without rotation, HTTP 200 invalid_code as the dead grant, renewal.
import { expect, it } from 'vitest';
import { connectorDefinition } from '../src/index.js';
import {
  callEach,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  startProviderWorld,
} from './support/providerWorld.js';

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
  const world = await startProviderWorld('zoho');
  const { sim } = world;

  const instance = await world.consent();
  const query = new URL(world.authorizationUrls[0] ?? '').searchParams;
  expect([query.get('access_type'), query.get('prompt'), query.get('scope')]).toEqual([
    'offline',
    'consent',
    'ZohoCRM.modules.ALL,ZohoCRM.settings.READ',
  ]);
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
  for (const data of await callEach(world, instance, calls)) {
    expect(data.headers['authorization']).toMatch(/^Zoho-oauthtoken /);
  }

  // Refreshes go to the accounts server of the callback; the refresh token is never replaced.
  for (const echo of await expectRefreshOnExpiry(world, instance, 'list-leads', 2)) {
    expect(echo.query).toEqual({ fields: 'Last_Name,Email,Company', per_page: '200' });
  }

  const refused = await expectDeadGrant(world, instance, 'list-contacts');
  expect(refused?.status).toBe(200);

  const { echo } = await expectRenewal(world, instance, 'list-contacts');
  expect(echo.path).toBe('/crm/v7/Contacts');
});
