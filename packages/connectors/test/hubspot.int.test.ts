// HubSpot's lifecycle against its profile: the 2026-03 token endpoint with the client credentials
// in the body, the token introspection as a post-authorization step (hub_id, hub_domain),
// 30-minute tokens, 401 EXPIRED_AUTHENTICATION, refresh tokens that are not rotated, the dead
// grant in both wordings (with the RFC 6749 error, and HubSpot's own status member alone),
// renewal.
import { expect, it } from 'vitest';
import {
  callEach,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  startProviderWorld,
} from './support/providerWorld.js';

const HUB = { hub_id: '62515', hub_domain: 'demo-62515.hubspot.com' };

it('consent → token introspection → every endpoint → 401 expiry → refreshes without rotation → dead grant → renewal', async () => {
  const world = await startProviderWorld('hubspot');
  const { sim, runtime } = world;

  const instance = await world.consent();
  expect(instance.status).toBe('active');
  // Space-separated scopes on the authorisation URL.
  expect(new URL(world.authorizationUrls[0]!).searchParams.get('scope')).toBe(
    'oauth crm.objects.contacts.read crm.objects.contacts.write',
  );
  const exchange = sim.requests.find((r) => r.grant === 'authorization_code');
  expect(exchange?.clientAuth).toBe('client_secret_post');
  // The post-authorization step: the new access token introspected with a form body.
  expect(instance.captured).toEqual(HUB);
  const introspected = sim.requests.filter((r) => r.path === '/introspect');
  expect(introspected.map((r) => [r.status, r.headers['content-type'], r.params])).toEqual([
    [
      200,
      'application/x-www-form-urlencoded',
      {
        client_id: sim.clientId,
        client_secret: '[redacted]',
        token: '[redacted]',
        token_type_hint: 'access_token',
      },
    ],
  ]);
  // expires_in 1800 was read (and the "scopes" list ignored): valid, no refresh yet.
  expect(await runtime.credentialStatus(instance)).toMatchObject({ state: 'valid' });

  const calls = [
    ['list-contacts', 'GET', '/crm/v3/objects/contacts', {}],
    ['get-contact', 'GET', '/crm/v3/objects/contacts/151', { variables: { contact_id: '151' } }],
    [
      'search-contacts',
      'POST',
      '/crm/v3/objects/contacts/search',
      {
        body: {
          filterGroups: [
            { filters: [{ propertyName: 'email', operator: 'EQ', value: 'ada@example.com' }] },
          ],
        },
      },
    ],
    [
      'create-contact',
      'POST',
      '/crm/v3/objects/contacts',
      { body: { properties: { email: 'ada@example.com', firstname: 'Ada' } } },
    ],
    [
      'update-contact',
      'PATCH',
      '/crm/v3/objects/contacts/151',
      { variables: { contact_id: '151' }, body: { properties: { lastname: 'Lovelace' } } },
    ],
  ] as const;
  const echoes = await callEach(world, instance, calls);
  for (const echo of echoes) {
    // token_type "bearer" (lower case) is sent as a Bearer token.
    expect(echo.headers['authorization']).toMatch(/^Bearer at_/);
  }
  expect(echoes[0]?.query).toEqual({ limit: '100', properties: 'firstname,lastname,email' });
  expect(JSON.parse(echoes[3]!.body)).toEqual({
    properties: { email: 'ada@example.com', firstname: 'Ada' },
  });
  expect(echoes[4]?.headers['content-type']).toBe('application/json');
  expect(sim.counts.refreshToken).toBe(0);

  // Server-side expiry: the 401 EXPIRED_AUTHENTICATION answer, one refresh, one replay; twice,
  // with the same (not rotated) refresh token.
  const [first] = await expectRefreshOnExpiry(world, instance, 'list-contacts', 2);
  expect(first?.path).toBe('/crm/v3/objects/contacts');
  expect(sim.counts.apiRejected).toBe(2);
  const refreshes = sim.requests.filter((r) => r.grant === 'refresh_token');
  expect(refreshes.map((r) => [r.status, r.clientAuth])).toEqual([
    [200, 'client_secret_post'],
    [200, 'client_secret_post'],
  ]);
  expect((await runtime.getInstance(instance.id))?.captured).toEqual(HUB);

  const refused = await expectDeadGrant(world, instance, 'search-contacts');
  expect(refused?.status).toBe(400);

  // Renewal runs the introspection again.
  const { renewed, echo } = await expectRenewal(world, instance, 'get-contact', {
    variables: { contact_id: '151' },
  });
  expect(renewed.captured).toEqual(HUB);
  expect(sim.counts.introspection).toBe(1);
  expect(echo.path).toBe('/crm/v3/objects/contacts/151');
});

it("finds the grant dead from HubSpot's own status member when the answer has no OAuth error", async () => {
  const world = await startProviderWorld('hubspot');
  const instance = await world.consent();
  // The wording from before the RFC 6749 members were added, still sent alongside them.
  world.sim.setQuirks({
    invalidGrantResponse: {
      status: 400,
      body: {
        status: 'BAD_REFRESH_TOKEN',
        message: 'missing or unknown refresh token',
        correlationId: '6a1c5a86-3f3b-4f52-9a55-2b8d3e9b5f01',
      },
    },
  });
  const refused = await expectDeadGrant(world, instance, 'list-contacts');
  expect(refused?.status).toBe(400);
  const { renewed } = await expectRenewal(world, instance, 'list-contacts');
  expect(renewed.status).toBe('active');
});
