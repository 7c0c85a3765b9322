import { type Credentials, MemoryStore, storeKeys } from '@splice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import { acmeConnector, testOAuthStrategy, testTokenStrategy } from './support/fixtures.js';

const HOUR = 3_600_000;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

function setup() {
  let clock = 1_000_000;
  const store = new MemoryStore();
  const oauth = testOAuthStrategy();
  // A strategy that describes its credentials, including a slip: a token among the scopes.
  const describing = {
    ...oauth,
    describeCredentials: (credentials: Credentials) => ({
      scopes: ['orders.read', credentials.values['access_token']!],
      refreshable: true,
      nextRefreshAt: (credentials.expiresAt ?? 0) - 60_000,
      refreshedAt: 123,
      token: credentials.values['access_token'],
    }),
  };
  runtime = createRuntime({
    connectors: [acmeConnector('http://127.0.0.1:9')],
    strategies: [testTokenStrategy(), describing],
    store,
    now: () => clock,
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { runtime, store, advance, now: () => clock };
}

async function oauthInstance(runtime: Runtime, store: MemoryStore, expiresAt: number) {
  const { state } = await runtime.beginAuthorization({
    connectorId: 'acme',
    authMethodId: 'acme-oauth',
    name: 'OAuth',
    variables: { account: 'eu', client_id: 'c1' },
  });
  const instance = await runtime.completeAuthorization({ code: 'good-code', state });
  const key = storeKeys.credentials(instance.id);
  const entry = await store.get(key);
  await store.set(key, { ...(entry?.value as object), expiresAt });
  return instance;
}

describe('credentialStatus', () => {
  it("shows the strategy's facts and the credentials' times, never a secret", async () => {
    const { runtime, store, now } = setup();
    const instance = await oauthInstance(runtime, store, now() + HOUR);
    const status = await runtime.credentialStatus(instance);
    expect(status).toEqual({
      instanceId: instance.id,
      state: 'valid',
      obtainedAt: now(),
      expiresAt: now() + HOUR,
      refreshedAt: 123,
      nextRefreshAt: now() + HOUR - 60_000,
      scopes: ['orders.read'],
      refreshable: true,
    });
    expect(JSON.stringify(status)).not.toContain('tok-1');
  });

  it('moves to refresh_due, then expired, as the clock passes those times', async () => {
    const { runtime, store, now, advance } = setup();
    const instance = await oauthInstance(runtime, store, now() + HOUR);
    advance(HOUR - 30_000);
    expect((await runtime.credentialStatus(instance.id)).state).toBe('refresh_due');
    advance(30_000);
    expect((await runtime.credentialStatus(instance.id)).state).toBe('expired');
  });

  it('says reauthorization_required and missing', async () => {
    const { runtime, store, now } = setup();
    const instance = await oauthInstance(runtime, store, now() + HOUR);
    const entry = await store.get(storeKeys.instance(instance.id));
    await store.set(storeKeys.instance(instance.id), {
      ...(entry?.value as object),
      status: 'reauthorization_required',
    });
    expect((await runtime.credentialStatus(instance)).state).toBe('reauthorization_required');
    await store.delete(storeKeys.credentials(instance.id));
    expect(await runtime.credentialStatus(instance)).toEqual({
      instanceId: instance.id,
      state: 'reauthorization_required',
      refreshable: false,
    });
    await store.set(storeKeys.instance(instance.id), entry!.value);
    expect((await runtime.credentialStatus(instance)).state).toBe('missing');
  });

  it('without describeCredentials: the times every Credentials carries, not refreshable', async () => {
    const { runtime, now } = setup();
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'Token',
      variables: { account: 'eu', api_key: 'key-secret1' },
    });
    expect(await runtime.credentialStatus(instance)).toEqual({
      instanceId: instance.id,
      state: 'valid',
      obtainedAt: now(),
      refreshable: false,
    });
    await expect(runtime.credentialStatus('nope')).rejects.toMatchObject({
      code: 'INSTANCE_NOT_FOUND',
    });
  });
});
