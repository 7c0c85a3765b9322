// Xero's lifecycle against its profile: the /connections post-authorization step with the user's
// choice of organisation, xero-tenant-id on every call, 30-minute tokens with rotated refresh
// tokens, dead grant, renewal.
import { expect, it } from 'vitest';
import {
  callEach,
  type Echo,
  expectDeadGrant,
  expectRefreshOnExpiry,
  rejection,
  startProviderWorld,
} from './support/providerWorld.js';

const NZ = 'e0da6a6c-8f4c-4a2c-9d4e-1d1bd9bb1f3a';

it('consent → organisation chosen → every endpoint → expiry → rotated refreshes → dead grant → renewal', async () => {
  const world = await startProviderWorld('xero');
  const { sim, runtime } = world;

  const pending = await world.consent();
  expect(pending.status).toBe('pending_choice');
  expect(pending.pendingChoice).toEqual({
    stepId: 'tenant',
    choices: [
      { id: '70784a63-d24b-46a9-a4db-0e70a274b056', label: 'Demo Company (UK)' },
      { id: NZ, label: 'Demo Company (NZ)' },
    ],
  });
  expect(sim.counts.discovery).toBe(1);
  expect(sim.requests.find((r) => r.grant === 'authorization_code')?.clientAuth).toBe(
    'client_secret_basic',
  );
  expect((await rejection(runtime.callEndpoint(pending, 'list-invoices'))).code).toBe(
    'CHOICE_REQUIRED',
  );
  const instance = await runtime.chooseValue(pending, 'tenant', NZ);
  expect(instance.status).toBe('active');
  expect(instance.captured).toEqual({ tenant_id: NZ });

  const calls = [
    ['list-invoices', 'GET', '/api.xro/2.0/Invoices', {}],
    ['list-contacts', 'GET', '/api.xro/2.0/Contacts', {}],
    ['create-contacts', 'PUT', '/api.xro/2.0/Contacts', { body: { Contacts: [{ Name: 'Acme' }] } }],
    [
      'create-invoices',
      'PUT',
      '/api.xro/2.0/Invoices',
      { body: { Invoices: [{ Type: 'ACCREC', Contact: { Name: 'Acme' } }] } },
    ],
  ] as const;
  for (const data of await callEach(world, instance, calls)) {
    expect(data.headers['xero-tenant-id']).toBe(NZ);
    expect(data.headers['accept']).toBe('application/json');
  }

  for (const echo of await expectRefreshOnExpiry(world, instance, 'list-invoices', 2)) {
    expect(echo.query).toEqual({ page: '1' });
  }

  await expectDeadGrant(world, instance, 'list-contacts');

  const renewed = await world.consent({ instanceId: instance.id });
  // Renewal runs the step again: the grant may reach other organisations now.
  expect(renewed.status).toBe('pending_choice');
  expect(renewed.pendingChoice?.choices.map((c) => c.label)).toEqual([
    'Demo Company (UK)',
    'Demo Company (NZ)',
  ]);
  const active = await runtime.chooseValue(renewed, 'tenant', NZ);
  expect(active.status).toBe('active');
  const { data } = await runtime.callEndpoint<Echo>(active, 'list-contacts');
  expect(data.headers['xero-tenant-id']).toBe(NZ);
});
