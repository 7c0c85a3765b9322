// Slack's lifecycle against its profile: comma-separated scopes, token_type "bot", every error as
// HTTP 200 (token_expired on the Web API, invalid_refresh_token at oauth.v2.access), 12-hour
// rotated tokens, renewal.
import { expect, it } from 'vitest';
import {
  callEach,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  startProviderWorld,
} from './support/providerWorld.js';

it('consent → every endpoint → 200 token_expired → rotated refreshes → 200 invalid_refresh_token → renewal', async () => {
  const world = await startProviderWorld('slack');
  const { sim } = world;

  const instance = await world.consent();
  expect(new URL(world.authorizationUrls[0] ?? '').searchParams.get('scope')).toBe(
    'channels:read,chat:write,users:read,reactions:write',
  );
  expect(instance.status).toBe('active');
  expect(sim.requests.find((r) => r.grant === 'authorization_code')?.clientAuth).toBe(
    'client_secret_post',
  );

  const calls = [
    ['list-conversations', 'GET', '/api/conversations.list', {}],
    ['list-users', 'GET', '/api/users.list', {}],
    ['post-message', 'POST', '/api/chat.postMessage', { body: { channel: 'C1', text: 'Hi' } }],
    [
      'add-reaction',
      'POST',
      '/api/reactions.add',
      { body: { channel: 'C1', name: 'thumbsup', timestamp: '1' } },
    ],
  ] as const;
  for (const data of await callEach(world, instance, calls)) {
    // token_type "bot" is sent as a bearer token.
    expect(data.headers['authorization']).toMatch(/^Bearer /);
  }

  // The Web API says token_expired inside an HTTP 200: the body rule refreshes and replays.
  for (const echo of await expectRefreshOnExpiry(world, instance, 'list-users', 2)) {
    expect(echo.query).toEqual({ limit: '200' });
  }
  expect(sim.counts.apiRejected).toBe(2);

  const refused = await expectDeadGrant(world, instance, 'list-users');
  expect(refused?.status).toBe(200);

  const { echo } = await expectRenewal(world, instance, 'list-users');
  expect(echo.path).toBe('/api/users.list');
});
