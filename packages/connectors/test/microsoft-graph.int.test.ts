// Microsoft Graph's lifecycle against its profile: the tenant-specific method (tenant in the
// authority), scope sent again on refresh, rotated refresh tokens, invalid_grant, renewal; and the
// common method on the same endpoints.
import { expect, it } from 'vitest';
import {
  callEach,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  startProviderWorld,
} from './support/providerWorld.js';

const SCOPE = 'offline_access User.Read Mail.ReadWrite Mail.Send Calendars.ReadWrite';

it('tenant: consent → every endpoint → expiry → rotated refreshes with scope → dead grant → renewal', async () => {
  const world = await startProviderWorld('microsoft-graph', {
    authMethodId: 'entra-tenant',
    variables: { tenant: 'contoso.onmicrosoft.com' },
  });
  const { sim } = world;

  const instance = await world.consent();
  expect(instance.status).toBe('active');
  const query = new URL(world.authorizationUrls[0] ?? '').searchParams;
  expect([query.get('tenant'), query.get('scope')]).toEqual(['contoso.onmicrosoft.com', SCOPE]);

  await callEach(world, instance, [
    ['me', 'GET', '/v1.0/me'],
    ['list-messages', 'GET', '/v1.0/me/messages'],
    ['send-mail', 'POST', '/v1.0/me/sendMail', { body: { message: { subject: 'Hi' } } }],
    ['create-event', 'POST', '/v1.0/me/events', { body: { subject: 'Review' } }],
  ]);

  for (const echo of await expectRefreshOnExpiry(world, instance, 'list-messages', 2)) {
    expect(echo.query).toEqual({ $top: '50' });
  }
  const refresh = sim.requests.find((r) => r.grant === 'refresh_token');
  expect(refresh?.params['scope']).toBe(SCOPE);

  await expectDeadGrant(world, instance, 'me');

  const { echo } = await expectRenewal(world, instance, 'me');
  expect(echo.path).toBe('/v1.0/me');
});

it('common: any account consents at the common authority and calls the same endpoints', async () => {
  const world = await startProviderWorld('microsoft-graph', { authMethodId: 'entra-common' });
  const instance = await world.consent();
  expect(instance.authMethodId).toBe('entra-common');
  expect(new URL(world.authorizationUrls[0] ?? '').searchParams.get('tenant')).toBe('common');
  await callEach(world, instance, [
    ['me', 'GET', '/v1.0/me'],
    ['send-mail', 'POST', '/v1.0/me/sendMail', { body: { message: { subject: 'Hi' } } }],
  ]);
  for (const echo of await expectRefreshOnExpiry(world, instance, 'me', 1)) {
    expect(echo.path).toBe('/v1.0/me');
  }
});
