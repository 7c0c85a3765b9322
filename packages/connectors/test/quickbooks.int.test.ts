// QuickBooks Online's lifecycle against its profile: realmId from the callback in every API path,
// HTTP Basic at the bearer endpoint, refresh tokens rotated on every refresh, dead grant, renewal.
import { expect, it } from 'vitest';
import {
  type Echo,
  expectDeadGrant,
  expectRefreshOnExpiry,
  expectRenewal,
  startProviderWorld,
} from './support/providerWorld.js';

const COMPANY = '/v3/company/9341453050394156';

it('consent → realmId → every endpoint → expiry → rotated refreshes → dead grant → renewal', async () => {
  const world = await startProviderWorld('quickbooks');
  const { sim, runtime } = world;

  const instance = await world.consent();
  expect(instance.status).toBe('active');
  expect(instance.captured).toEqual({ realm_id: '9341453050394156' });
  const exchange = sim.requests.find((r) => r.grant === 'authorization_code');
  expect(exchange?.clientAuth).toBe('client_secret_basic');
  expect(exchange?.params['client_secret']).toBeUndefined();

  const query = await runtime.callEndpoint<Echo>(instance, 'query');
  expect(query.data.path).toBe(`${COMPANY}/query`);
  expect(query.data.query).toEqual({
    query: 'select * from Customer maxresults 100',
    minorversion: '75',
  });
  expect(query.data.headers['accept']).toBe('application/json');
  // token_type "bearer" (lower case) is sent as the Bearer scheme.
  expect(query.data.headers['authorization']).toMatch(/^Bearer /);
  const info = await runtime.callEndpoint<Echo>(instance, 'company-info');
  expect(info.data.path).toBe(`${COMPANY}/companyinfo/9341453050394156`);
  const customer = await runtime.callEndpoint<Echo>(instance, 'create-customer', {
    body: { DisplayName: 'Acme' },
  });
  expect(customer.data.method).toBe('POST');
  expect(customer.data.path).toBe(`${COMPANY}/customer`);
  expect(JSON.parse(customer.data.body)).toEqual({ DisplayName: 'Acme' });
  const invoice = await runtime.callEndpoint<Echo>(instance, 'create-invoice', {
    body: { CustomerRef: { value: '1' }, Line: [] },
  });
  expect(invoice.data.path).toBe(`${COMPANY}/invoice`);

  // Server-side expiry (the 401 fault 3200), then a second one: each refresh spends the refresh
  // token the previous one issued, so the newest must have been kept.
  for (const echo of await expectRefreshOnExpiry(world, instance, 'query', 2)) {
    expect(echo.path).toBe(`${COMPANY}/query`);
  }
  const refresh = sim.requests.find((r) => r.grant === 'refresh_token');
  expect(refresh?.clientAuth).toBe('client_secret_basic');

  await expectDeadGrant(world, instance, 'company-info');

  const { renewed, echo } = await expectRenewal(world, instance, 'company-info');
  expect(renewed.captured).toEqual({ realm_id: '9341453050394156' });
  expect(echo.path).toBe(`${COMPANY}/companyinfo/9341453050394156`);
});
