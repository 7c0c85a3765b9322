import { MemoryStore, storeKeys } from '@splice/core';
import Bottleneck from 'bottleneck';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  rejection,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
  variable,
} from './support/fixtures.js';

let runtime: Runtime | undefined;
let server: TestServer | undefined;
afterEach(async () => {
  await runtime?.close();
  await server?.close();
  runtime = undefined;
  server = undefined;
});

async function setup() {
  server = await startTestServer();
  const store = new MemoryStore();
  const limiters: { id: string; minTime?: number | null }[] = [];
  runtime = createRuntime({
    connectors: [
      acmeConnector(server.url, {
        variables: [
          variable('account', { required: true }),
          variable('region', { configurable: false, default: 'eu' }),
        ],
      }),
    ],
    strategies: [testTokenStrategy(), testOAuthStrategy()],
    store,
    limiterFactory: (options) => {
      limiters.push(options);
      return new Bottleneck(options);
    },
  });
  const instance = await runtime.addInstance({
    connectorId: 'acme',
    authMethodId: 'acme-token',
    name: 'Acme EU',
    variables: { account: 'northwind', api_key: 'key-secret1', region: 'eu' },
  });
  return { runtime, server, store, instance, limiters };
}

describe('updateInstance', () => {
  it('renames and changes a configurable value; the next call uses it', async () => {
    const { runtime, server, store, instance } = await setup();
    await runtime.callEndpoint(instance, 'orders');
    const updated = await runtime.updateInstance(instance.id, {
      name: 'Acme EU (prod)',
      variables: { account: 'contoso' },
    });
    expect(updated).toMatchObject({
      id: instance.id,
      name: 'Acme EU (prod)',
      status: 'active',
      variables: { account: 'contoso', api_key: '[redacted]', region: 'eu' },
    });
    expect(updated.createdAt).toBe(instance.createdAt);
    await runtime.callEndpoint(instance, 'orders');
    expect(server.requests.map((r) => r.url)).toEqual([
      '/northwind/orders/all',
      '/contoso/orders/all',
    ]);
    expect(server.requests[1]?.headers['x-api-key']).toBe('key-secret1');
    expect((await store.get(storeKeys.instance(instance.id)))?.value).toMatchObject({
      name: 'Acme EU (prod)',
      variables: { account: 'contoso', api_key: 'key-secret1' },
    });
    expect(await runtime.getInstance(instance.id)).toEqual(updated);
  });

  it('changes a secret value without showing it', async () => {
    const { runtime, server, instance } = await setup();
    const updated = await runtime.updateInstance(instance, {
      variables: { api_key: 'key-rotated2' },
    });
    expect(JSON.stringify(updated)).not.toContain('key-rotated2');
    await runtime.callEndpoint(instance, 'orders');
    expect(server.requests[0]?.headers['x-api-key']).toBe('key-rotated2');
  });

  it("checks a non-interactive method's new values with the strategy before saving them", async () => {
    const { runtime, store, instance } = await setup();
    const before = await store.get(storeKeys.instance(instance.id));
    const error = await rejection(
      runtime.updateInstance(instance, { variables: { api_key: 'bad' } }),
    );
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(await store.get(storeKeys.instance(instance.id))).toEqual(before);
  });

  it('puts the credentials back when the record refuses the change after they were checked', async () => {
    const { store, instance } = await setup();
    await runtime?.close();
    // Another writer changes the fixed value while the new key is being checked.
    const token = testTokenStrategy();
    const racing = {
      ...token,
      async authenticate(ctx: Parameters<NonNullable<typeof token.authenticate>>[0]) {
        const entry = await store.get(storeKeys.instance(instance.id));
        const record = entry?.value as { variables: Record<string, string> };
        await store.set(storeKeys.instance(instance.id), {
          ...record,
          variables: { ...record.variables, region: 'us' },
        });
        return { values: { checked: ctx.values['api_key']! }, obtainedAt: 1 };
      },
    };
    runtime = createRuntime({
      connectors: [
        acmeConnector(server!.url, {
          variables: [
            variable('account', { required: true }),
            variable('region', { configurable: false, default: 'eu' }),
          ],
        }),
      ],
      strategies: [racing, testOAuthStrategy()],
      store,
    });
    const before = await store.get(storeKeys.credentials(instance.id));
    const error = await rejection(
      runtime.updateInstance(instance, { variables: { api_key: 'key-new12', region: 'eu' } }),
    );
    expect(error.details['readOnly']).toEqual(['region']);
    expect((await store.get(storeKeys.credentials(instance.id)))?.value).toEqual(before?.value);
  });

  it('refuses a non-configurable value with VARIABLE_INVALID naming the key, and writes nothing', async () => {
    const { runtime, store, instance } = await setup();
    const before = await store.get(storeKeys.instance(instance.id));
    const error = await rejection(
      runtime.updateInstance(instance, { name: 'B', variables: { region: 'us' } }),
    );
    expect(error.code).toBe('VARIABLE_INVALID');
    expect(error.details['readOnly']).toEqual(['region']);
    expect(error.message).toContain('"region"');
    expect(await store.get(storeKeys.instance(instance.id))).toEqual(before);
    // The saved value again is no change.
    await expect(
      runtime.updateInstance(instance, { variables: { region: 'eu' } }),
    ).resolves.toMatchObject({ variables: { region: 'eu' } });
  });

  it('validates like creation: unknown keys, credential keys, a required value emptied, bad name and limit', async () => {
    const { runtime, instance } = await setup();
    const unknown = await rejection(
      runtime.updateInstance(instance, { variables: { acount: 'x' } }),
    );
    expect(unknown.code).toBe('VARIABLE_INVALID');
    expect(unknown.details['unknown']).toEqual(['acount']);
    // Only what an update may change is offered: `region` is not configurable.
    expect(unknown.message).toContain('"acount" (did you mean "account"?)');
    expect(unknown.message).toContain('variables you can set here: account, api_key');
    expect(unknown.message).not.toContain('region');
    expect(unknown.details).toMatchObject({
      suggestions: { acount: 'account' },
      settable: ['account', 'api_key'],
    });
    const locked = await rejection(
      runtime.updateInstance(instance, { variables: { regoin: 'us' } }),
    );
    expect(locked.details['suggestions']).toEqual({});
    expect(locked.message).not.toContain('did you mean');
    const credential = await rejection(
      runtime.updateInstance(instance, { variables: { access_token: 'x' } }),
    );
    expect(credential.code).toBe('VARIABLE_INVALID');
    const emptied = await rejection(
      runtime.updateInstance(instance, { variables: { account: '' } }),
    );
    expect(emptied.code).toBe('VARIABLE_MISSING');
    expect(emptied.details['keys']).toEqual(['account']);
    await expect(runtime.updateInstance(instance, { name: ' ' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    await expect(
      runtime.updateInstance(instance, { rateLimit: { amount: 1.5, unit: 'second' } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const typo = await rejection(
      runtime.updateInstance(instance, { vars: {} } as unknown as { name: string }),
    );
    expect(typo.message).toContain('"vars"');
    await expect(runtime.updateInstance('missing', { name: 'x' })).rejects.toMatchObject({
      code: 'INSTANCE_NOT_FOUND',
    });
  });

  it('sets and removes the rate limit; the next call gets a limiter built from it', async () => {
    const { runtime, instance, limiters } = await setup();
    await runtime.callEndpoint(instance, 'orders');
    expect(limiters).toHaveLength(0);
    const limited = await runtime.updateInstance(instance, {
      rateLimit: { amount: 3, unit: 'second' },
    });
    expect(limited.rateLimit).toEqual({ amount: 3, unit: 'second' });
    await runtime.callEndpoint(instance, 'orders');
    expect(limiters).toHaveLength(1);
    expect(limiters[0]).toMatchObject({
      id: `splice:rate-limit:acme:${instance.id}`,
      minTime: 334,
    });
    const cleared = await runtime.updateInstance(instance, { rateLimit: null });
    expect(cleared.rateLimit).toBeUndefined();
    await runtime.callEndpoint(instance, 'orders');
    expect(limiters).toHaveLength(1);
  });

  it('keeps a status another writer set meanwhile (compare-and-set on the current record)', async () => {
    const { runtime, store, instance } = await setup();
    const entry = await store.get(storeKeys.instance(instance.id));
    await store.set(
      storeKeys.instance(instance.id),
      { ...(entry?.value as object), status: 'reauthorization_required' },
      { ifVersion: entry!.version },
    );
    const updated = await runtime.updateInstance(instance, { name: 'Renamed' });
    expect(updated).toMatchObject({ name: 'Renamed', status: 'reauthorization_required' });
  });
});
