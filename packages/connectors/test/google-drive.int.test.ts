// Google Drive's lifecycle against its profile: access_type=offline and prompt=consent on the
// authorisation URL only, PKCE S256, iss on the callback, refresh without rotation,
// invalid_grant as the dead grant, renewal.
import { expect, it } from 'vitest';
import {
  callEach,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  startProviderWorld,
} from './support/providerWorld.js';

it('consent → every endpoint → expiry → refreshes → invalid_grant → renewal', async () => {
  const world = await startProviderWorld('google-drive');
  const { sim } = world;

  const instance = await world.consent();
  expect(instance.status).toBe('active');
  const query = new URL(world.authorizationUrls[0] ?? '').searchParams;
  expect([
    query.get('access_type'),
    query.get('prompt'),
    query.get('code_challenge_method'),
  ]).toEqual(['offline', 'consent', 'S256']);
  expect(sim.requests.find((r) => r.grant === 'authorization_code')?.clientAuth).toBe(
    'client_secret_post',
  );

  const file = { variables: { file_id: '1AbC' } };
  const echoes = await callEach(world, instance, [
    ['list-files', 'GET', '/drive/v3/files'],
    ['get-file', 'GET', '/drive/v3/files/1AbC', file],
    ['create-file', 'POST', '/drive/v3/files', { body: { name: 'report.txt' } }],
    [
      'share-file',
      'POST',
      '/drive/v3/files/1AbC/permissions',
      { ...file, body: { role: 'reader', type: 'user', emailAddress: 'a@example.com' } },
    ],
  ]);
  for (const echo of echoes) {
    // The authorisation URL's parameters are never sent to the API.
    expect(echo.query['access_type']).toBeUndefined();
    expect(echo.headers['authorization']).toMatch(/^Bearer /);
  }

  // Refresh answers carry no refresh token: the kept one serves every round.
  for (const echo of await expectRefreshOnExpiry(world, instance, 'list-files', 2)) {
    expect(echo.query).toEqual({ pageSize: '100', q: 'trashed = false' });
  }

  await expectDeadGrant(world, instance, 'list-files');

  const { echo } = await expectRenewal(world, instance, 'get-file', file);
  expect(echo.path).toBe('/drive/v3/files/1AbC');
});
