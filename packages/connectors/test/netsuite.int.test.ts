// NetSuite's lifecycle against its profile (a sandbox account, 1234567_SB1): company, role and
// entity from the callback, HTTP Basic and PKCE at the token endpoint, REST records and SuiteQL,
// refreshes without a new refresh token, the refresh token dead 7 days after consent, renewal; and
// the shipped definition's hosts for that account id (1234567-sb1).
import { compileUrlTemplate, MemoryStore } from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { expect, it, onTestFinished } from 'vitest';
import { connectorDefinition, loadBuiltInConnector } from '../src/index.js';
import {
  callEach,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  rejection,
  startProviderWorld,
} from './support/providerWorld.js';

const ACCOUNT = '1234567_SB1';
const RECORDS = '/services/rest/record/v1';
const DAY_MS = 24 * 3600 * 1000;

it('consent → company, role, entity → every endpoint → expiry → refreshes → 7 days later invalid_grant → renewal', async () => {
  let clock = Date.now();
  const world = await startProviderWorld('netsuite', {
    variables: { account_id: ACCOUNT },
    simulatorNow: () => clock,
  });
  const { sim } = world;

  const instance = await world.consent();
  expect(instance.status).toBe('active');
  expect(instance.captured).toEqual({ company: ACCOUNT, role: '3', entity: '4622' });
  const query = new URL(world.authorizationUrls[0] ?? '').searchParams;
  expect([query.get('scope'), query.get('code_challenge_method')]).toEqual([
    'rest_webservices',
    'S256',
  ]);
  const exchange = sim.requests.find((r) => r.grant === 'authorization_code');
  expect(exchange?.clientAuth).toBe('client_secret_basic');
  expect(exchange?.params['client_secret']).toBeUndefined();
  expect(exchange?.params['code_verifier']).toBe('[redacted]');

  const sql = { q: 'SELECT id, entityid FROM customer' };
  const calls = [
    ['get-customer', 'GET', `${RECORDS}/customer/42`, { variables: { customer_id: '42' } }],
    ['list-customers', 'GET', `${RECORDS}/customer`, {}],
    ['suiteql', 'POST', '/services/rest/query/v1/suiteql', { body: sql }],
    ['create-customer', 'POST', `${RECORDS}/customer`, { body: { companyName: 'Acme' } }],
    [
      'update-customer',
      'PATCH',
      `${RECORDS}/customer/42`,
      { variables: { customer_id: '42' }, body: { email: 'ap@acme.example' } },
    ],
  ] as const;
  const [, list, suiteql, create, update] = await callEach(world, instance, calls);
  expect(list?.query).toEqual({ limit: '1000', offset: '0' });
  expect(suiteql?.query).toEqual({ limit: '1000', offset: '0' });
  expect(suiteql?.headers['prefer']).toBe('transient');
  expect(JSON.parse(suiteql?.body ?? '')).toEqual(sql);
  expect(JSON.parse(create?.body ?? '')).toEqual({ companyName: 'Acme' });
  expect(JSON.parse(update?.body ?? '')).toEqual({ email: 'ap@acme.example' });
  // token_type "bearer" (lower case) goes out as the Bearer scheme.
  expect(update?.headers['authorization']).toMatch(/^Bearer /);

  // The API's 401 INVALID_LOGIN, twice: each refresh answers no refresh token, so the second
  // refresh must spend the one kept from consent.
  await expectRefreshOnExpiry(world, instance, 'list-customers', 2);
  const refreshes = sim.requests.filter((r) => r.grant === 'refresh_token');
  expect(refreshes.map((r) => r.clientAuth)).toEqual([
    'client_secret_basic',
    'client_secret_basic',
  ]);

  // Seven days after consent the refresh token is dead (refreshes did not extend it): the API
  // refuses the access token, the refresh is invalid_grant, once.
  await expectDeadGrant(world, instance, 'list-customers', () => {
    clock += 7 * DAY_MS;
  });
  expect(sim.counts.refreshToken).toBe(0);

  const { renewed, echo } = await expectRenewal(world, instance, 'get-customer', {
    variables: { customer_id: '42' },
  });
  expect(renewed.captured).toEqual({ company: ACCOUNT, role: '3', entity: '4622' });
  expect(echo.path).toBe(`${RECORDS}/customer/42`);
});

it('sends a sandbox account 1234567_SB1 to the 1234567-sb1 hosts (the shipped definition)', async () => {
  // The instance comes from the simulated consent; a second runtime over the same store holds
  // the definition as shipped, with NetSuite's own hosts.
  const store = new MemoryStore();
  const world = await startProviderWorld('netsuite', { variables: { account_id: ACCOUNT }, store });
  const instance = await world.consent();
  const strategies = [oauth2AuthorizationCode()];
  const shipped = createRuntime({
    connectors: [loadBuiltInConnector('netsuite', { strategies })],
    strategies,
    store,
    callbackUrl: 'https://flows.example/oauth/callback',
  });
  onTestFinished(() => shipped.close());

  const preview = await shipped.previewRequest(instance.id, 'get-customer', {
    variables: { customer_id: '42' },
  });
  expect(preview.url).toBe(
    'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/record/v1/customer/42',
  );
  expect((await shipped.previewRequest(instance.id, 'suiteql')).url).toBe(
    'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/query/v1/suiteql?limit=1000&offset=0',
  );

  // Consent for an account starts at that account's own host.
  const authorise = (account: string) =>
    shipped.beginAuthorization({
      connectorId: 'netsuite',
      authMethodId: 'netsuite-oauth',
      name: `NetSuite ${account}`,
      variables: { account_id: account, client_id: 'client', client_secret: 'secret' },
    });
  for (const [account, host] of [
    [ACCOUNT, '1234567-sb1'],
    ['TSTDRV1234567', 'tstdrv1234567'],
  ] as const) {
    const url = new URL((await authorise(account)).authorizationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(
      `https://${host}.app.netsuite.com/app/login/oauth2/authorize.nl`,
    );
  }

  // An account ID that is no DNS label once transformed is refused by name; nothing is sent.
  const refused = await rejection(authorise('evil.example/x'));
  expect(refused.code).toBe('TEMPLATE_UNSAFE_VALUE');
  expect(refused.message).toContain('account_id');
  expect(refused.message).not.toContain('evil.example');

  // The token URL is rendered at the code exchange and each refresh, from this template.
  const method = connectorDefinition('netsuite').authMethods[0];
  const token = compileUrlTemplate(method?.urls.token ?? '', 'authMethods[0].urls.token');
  expect(token.render({ account_id: ACCOUNT })).toBe(
    'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token',
  );
});
