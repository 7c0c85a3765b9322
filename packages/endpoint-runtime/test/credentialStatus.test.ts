import { type Credentials, MemoryStore, storeKeys } from '@splice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  consentedInstance,
  startTestServer,
  testOAuthStrategy,
  testTokenStrategy,
} from './support/fixtures.js';

const HOUR = 3_600_000;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

function setup(apiBase = 'http://127.0.0.1:9') {
  let clock = 1_000_000;
  const store = new MemoryStore();
  const oauth = testOAuthStrategy();
  // A strategy that describes its credentials, including a slip: a token among the scopes.
  const describing = {
    ...oauth,
    describeCredentials: (credentials: Credentials) => ({
      scopes: ['orders.read', credentials.values['access_token']!],
      refreshable: true,
      ...(credentials.expiresAt === undefined
        ? {}
        : { nextRefreshAt: credentials.expiresAt - 60_000 }),
      refreshedAt: 123,
      token: credentials.values['access_token'],
    }),
  };
  runtime = createRuntime({
    connectors: [acmeConnector(apiBase)],
    strategies: [testTokenStrategy(), describing],
    store,
    now: () => clock,
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { runtime, store, oauth, advance, now: () => clock };
}

async function oauthInstance(runtime: Runtime, store: MemoryStore, expiresAt: number) {
  const instance = await consentedInstance(runtime);
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

  it('after a dead grant: not refreshable and no next refresh, though the credentials are kept', async () => {
    // The API refuses every token and the refresh is refused: a dead grant, met in a real call.
    const api = await startTestServer();
    try {
      api.handle = (_req, res) => {
        res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
        res.end();
      };
      const { runtime, store, oauth, now } = setup(api.url);
      const instance = await oauthInstance(runtime, store, now() + HOUR);
      expect(await runtime.credentialStatus(instance)).toMatchObject({
        refreshable: true,
        nextRefreshAt: now() + HOUR - 60_000,
      });
      oauth.refreshMode = 'dead';
      await expect(runtime.callEndpoint(instance, 'profile')).rejects.toMatchObject({
        code: 'REAUTHORIZATION_REQUIRED',
      });
      expect(await store.get(storeKeys.credentials(instance.id))).toBeDefined();
      const status = await runtime.credentialStatus(instance);
      expect(status).toEqual({
        instanceId: instance.id,
        state: 'reauthorization_required',
        obtainedAt: now(),
        expiresAt: now() + HOUR,
        refreshedAt: 123,
        scopes: ['orders.read'],
        refreshable: false,
      });
    } finally {
      await api.close();
    }
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

  it('after disconnectInstance: no credentials, reauthorization_required, no event; a new consent connects it again', async () => {
    const { runtime, store, now } = setup();
    const instance = await oauthInstance(runtime, store, now() + HOUR);
    const events: unknown[] = [];
    runtime.on('reauthorizationRequired', (i) => events.push(i));
    const disconnected = await runtime.disconnectInstance(instance);
    expect(disconnected).toMatchObject({
      id: instance.id,
      name: 'OAuth',
      status: 'reauthorization_required',
    });
    expect(await store.get(storeKeys.credentials(instance.id))).toBeUndefined();
    expect((await runtime.credentialStatus(instance)).state).toBe('reauthorization_required');
    await expect(runtime.callEndpoint(instance, 'profile')).rejects.toMatchObject({
      code: 'REAUTHORIZATION_REQUIRED',
    });
    expect(events).toEqual([]);
    const { state } = await runtime.beginAuthorization({ instanceId: instance.id });
    const renewed = await runtime.completeAuthorization({ code: 'good-code', state });
    expect(renewed).toMatchObject({ id: instance.id, status: 'active' });
    expect((await runtime.credentialStatus(instance)).state).toBe('valid');
  });

  it('after a disconnectInstance whose credentials could not be deleted, this process refuses calls', async () => {
    const { runtime, store, now } = setup();
    const instance = await oauthInstance(runtime, store, now() + HOUR);
    await runtime.scrubSecrets(instance, ''); // the session and its credentials are loaded
    const remove = store.delete.bind(store);
    store.delete = async (key) => {
      if (key === storeKeys.credentials(instance.id)) throw new Error('store down');
      return remove(key);
    };
    await expect(runtime.disconnectInstance(instance)).rejects.toThrow('store down');
    await expect(runtime.callEndpoint(instance, 'profile')).rejects.toMatchObject({
      code: 'REAUTHORIZATION_REQUIRED',
    });
  });

  it('refuses to disconnect a non-interactive instance with AUTH_NOT_INTERACTIVE', async () => {
    const { runtime, store } = setup();
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'Token',
      variables: { account: 'eu', api_key: 'key-secret1' },
    });
    await expect(runtime.disconnectInstance(instance)).rejects.toMatchObject({
      code: 'AUTH_NOT_INTERACTIVE',
    });
    expect(await store.get(storeKeys.credentials(instance.id))).toBeDefined();
  });
});
