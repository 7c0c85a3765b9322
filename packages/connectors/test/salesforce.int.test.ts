// Salesforce's lifecycle against its profile: instance_url from the token response as the API
// origin, no expires_in (expiry found from the API's 401), refresh without rotation, dead grant,
// renewal.
import { expect, it } from 'vitest';
import {
  type Echo,
  expectDeadGrant,
  expectRenewal,
  startProviderWorld,
} from './support/providerWorld.js';

it('consent → instance_url → every endpoint → 401 expiry → refresh → dead grant → renewal', async () => {
  const world = await startProviderWorld('salesforce');
  const { sim, runtime } = world;

  const instance = await world.consent();
  expect(instance.status).toBe('active');
  expect(instance.captured).toEqual({ instance_url: sim.issuer });
  const exchange = sim.requests.find((r) => r.grant === 'authorization_code');
  expect(exchange?.clientAuth).toBe('client_secret_post');
  expect(exchange?.params['code_verifier']).toBe('[redacted]');

  const query = await runtime.callEndpoint<Echo>(instance, 'query');
  expect(query.data.path).toBe('/services/data/v62.0/query');
  expect(query.data.query).toEqual({ q: 'SELECT Id, Name FROM Account LIMIT 100' });
  expect(query.data.headers['authorization']).toMatch(/^Bearer /);
  const describe = await runtime.callEndpoint<Echo>(instance, 'describe-account');
  expect(describe.data.path).toBe('/services/data/v62.0/sobjects/Account/describe');
  const created = await runtime.callEndpoint<Echo>(instance, 'create-account', {
    body: { Name: 'Acme' },
  });
  expect(created.data.method).toBe('POST');
  expect(created.data.path).toBe('/services/data/v62.0/sobjects/Account');
  expect(JSON.parse(created.data.body)).toEqual({ Name: 'Acme' });
  const updated = await runtime.callEndpoint<Echo>(instance, 'update-account', {
    variables: { account_id: '001Dn00000AbCdE' },
    body: { Phone: '555-0100' },
  });
  expect(updated.data.method).toBe('PATCH');
  expect(updated.data.path).toBe('/services/data/v62.0/sobjects/Account/001Dn00000AbCdE');

  // No expires_in: the runtime learns of the expiry from the 401 INVALID_SESSION_ID only.
  sim.expireAccessTokens();
  sim.resetCounts();
  await runtime.callEndpoint(instance, 'query');
  expect(sim.counts.apiRejected).toBe(1);
  expect(sim.counts.refreshToken).toBe(1);
  expect(sim.counts.api).toBe(2);
  // The refresh answered no refresh token: the kept one works again (no rotation).
  sim.expireAccessTokens();
  await runtime.callEndpoint(instance, 'describe-account');
  expect(sim.counts.refreshToken).toBe(2);
  expect(sim.counts.invalidGrant).toBe(0);

  // Dead grant: invalid_grant marks the instance once, and nothing more is sent.
  await expectDeadGrant(world, instance, 'query');

  const { echo } = await expectRenewal(world, instance, 'query');
  expect(echo.path).toBe('/services/data/v62.0/query');
});
