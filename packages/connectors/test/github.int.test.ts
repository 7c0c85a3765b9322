// GitHub's lifecycle against its profile: form-encoded token answers, 8-hour tokens refreshed
// with rotation, HTTP 200 bad_refresh_token as the dead grant, renewal.
import { expect, it } from 'vitest';
import {
  callEach,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  startProviderWorld,
} from './support/providerWorld.js';

it('consent → every endpoint → expiry → rotated refreshes → 200 bad_refresh_token → renewal', async () => {
  const world = await startProviderWorld('github');
  const { sim, runtime } = world;

  const instance = await world.consent();
  expect(instance.status).toBe('active');
  const exchange = sim.requests.find((r) => r.grant === 'authorization_code');
  expect(exchange?.clientAuth).toBe('client_secret_post');
  expect(exchange?.headers['accept']).toBe('application/json');
  // The form answer's "28800" was read as the expiry: no refresh before the server says so.
  expect(await runtime.credentialStatus(instance)).toMatchObject({ state: 'valid' });

  const calls = [
    ['get-user', 'GET', '/api/user', {}],
    ['list-repos', 'GET', '/api/user/repos', {}],
    [
      'create-issue',
      'POST',
      '/api/repos/octo-org/hello-world/issues',
      { variables: { owner: 'octo-org', repo: 'hello-world' }, body: { title: 'Found a bug' } },
    ],
    ['create-repo', 'POST', '/api/user/repos', { body: { name: 'hello-world' } }],
  ] as const;
  for (const data of await callEach(world, instance, calls)) {
    expect(data.headers['accept']).toBe('application/vnd.github+json');
    expect(data.headers['x-github-api-version']).toBe('2022-11-28');
    expect(data.headers['authorization']).toMatch(/^Bearer /);
  }
  expect(sim.counts.refreshToken).toBe(0);

  for (const echo of await expectRefreshOnExpiry(world, instance, 'list-repos', 2)) {
    expect(echo.query).toEqual({ per_page: '100', page: '1' });
  }

  const refused = await expectDeadGrant(world, instance, 'get-user');
  expect(refused?.status).toBe(200);

  const { echo } = await expectRenewal(world, instance, 'get-user');
  expect(echo.path).toBe('/api/user');
});
