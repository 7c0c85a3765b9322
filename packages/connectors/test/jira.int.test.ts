// Jira Cloud's lifecycle against its profile: audience on the authorisation URL, the
// accessible-resources step taking the only site, the cloud id in every API path, rotated refresh
// tokens, dead grant, renewal.
import { expect, it } from 'vitest';
import {
  callEach,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  startProviderWorld,
} from './support/providerWorld.js';

const CLOUD = '1324a887-45db-1bf4-1e99-ef0ff456d421';
const SITE = `/ex/jira/${CLOUD}/rest/api/3`;

it('consent → site from accessible-resources → every endpoint → expiry → rotated refreshes → dead grant → renewal', async () => {
  const world = await startProviderWorld('jira');
  const { sim } = world;

  const instance = await world.consent();
  const query = new URL(world.authorizationUrls[0] ?? '').searchParams;
  expect([query.get('audience'), query.get('prompt')]).toEqual(['api.atlassian.com', 'consent']);
  expect(instance.status).toBe('active');
  expect(instance.captured).toEqual({ cloud_id: CLOUD });
  expect(sim.counts.discovery).toBe(1);

  const calls = [
    ['search-issues', 'GET', `${SITE}/search/jql`, {}],
    ['myself', 'GET', `${SITE}/myself`, {}],
    ['create-issue', 'POST', `${SITE}/issue`, { body: { fields: { summary: 'Bug' } } }],
    [
      'add-comment',
      'POST',
      `${SITE}/issue/PROJ-7/comment`,
      { variables: { issue_key: 'PROJ-7' }, body: { body: 'Seen' } },
    ],
  ] as const;
  for (const data of await callEach(world, instance, calls)) {
    // The authorisation URL's parameters are never sent to the API.
    expect(data.query['audience']).toBeUndefined();
  }

  for (const echo of await expectRefreshOnExpiry(world, instance, 'search-issues', 2)) {
    expect(echo.query).toEqual({ jql: 'updated >= -30d order by updated DESC', maxResults: '100' });
  }

  await expectDeadGrant(world, instance, 'myself');

  const { renewed, echo } = await expectRenewal(world, instance, 'myself');
  expect(renewed.captured).toEqual({ cloud_id: CLOUD });
  expect(echo.path).toBe(`${SITE}/myself`);
});
