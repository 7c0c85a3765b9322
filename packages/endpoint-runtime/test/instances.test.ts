import { MemoryStore, SpliceError, storeKeys } from '@splice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  rejection,
  testOAuthStrategy,
  testTokenStrategy,
} from './support/fixtures.js';

const BASE = 'http://127.0.0.1:9';
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});

function setup(now: () => number = Date.now) {
  const store = new MemoryStore({ now });
  const token = testTokenStrategy();
  const oauth = testOAuthStrategy();
  runtime = createRuntime({
    connectors: [acmeConnector(BASE)],
    strategies: [token, oauth],
    store,
    now,
  });
  return { runtime, store, token, oauth };
}

const ACME_EU = {
  connectorId: 'acme',
  authMethodId: 'acme-token',
  name: 'Acme EU',
  variables: { account: 'eu', api_key: 'key-secret1' },
};

describe('addInstance', () => {
  it('checks the credentials with the strategy, saves record and credentials, returns a redacted instance', async () => {
    const { runtime, store, token } = setup();
    const instance = await runtime.addInstance(ACME_EU);
    expect(token.authenticated).toBe(1);
    expect(instance).toMatchObject({
      name: 'Acme EU',
      connectorId: 'acme',
      authMethodId: 'acme-token',
      status: 'active',
      variables: { account: 'eu', api_key: '[redacted]' },
    });
    expect(JSON.stringify(instance)).not.toContain('key-secret1');
    const record = await store.get(storeKeys.instance(instance.id));
    expect(record?.value).toMatchObject({ variables: { api_key: 'key-secret1' } });
    expect(await store.get(storeKeys.credentials(instance.id))).toBeDefined();
    expect(await runtime.getInstance(instance.id)).toEqual(instance);
  });

  it('saves nothing when the strategy rejects the credentials', async () => {
    const { runtime, store } = setup();
    const error = await rejection(
      runtime.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-token',
        name: 'A',
        variables: { account: 'eu', api_key: 'wrong' },
      }),
    );
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(await store.keys('')).toEqual([]);
  });

  it('lists every missing required variable in one VARIABLE_MISSING', async () => {
    const { runtime, token } = setup();
    const error = await rejection(
      runtime.addInstance({ connectorId: 'acme', authMethodId: 'acme-token', name: 'A' }),
    );
    expect(error.code).toBe('VARIABLE_MISSING');
    expect(error.details['keys']).toEqual(['account', 'api_key']);
    expect(error.message).toContain('"account", "api_key"');
    expect(token.authenticated).toBe(0);
  });

  it('rejects unknown keys with VARIABLE_INVALID, naming the key meant by a near miss and only keys addInstance may set', async () => {
    const { runtime } = setup();
    const error = await rejection(
      runtime.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-token',
        name: 'A',
        variables: { acount: 'eu', api_key: 'key-abcd', colour: 'x' },
      }),
    );
    expect(error.code).toBe('VARIABLE_INVALID');
    expect(error.message).toContain('"acount" (did you mean "account"?)');
    expect(error.message).toContain('variables you can set here: account, api_key');
    expect(error.details).toMatchObject({
      unknown: ['acount', 'colour'],
      suggestions: { acount: 'account' },
      settable: ['account', 'api_key'],
    });
  });

  it('refuses an interactive method with AUTH_NOT_INTERACTIVE', async () => {
    const { runtime } = setup();
    const error = await rejection(
      runtime.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-oauth',
        name: 'A',
        variables: { account: 'eu', client_id: 'c' },
      }),
    );
    expect(error.code).toBe('AUTH_NOT_INTERACTIVE');
    expect(error.message).toContain('beginAuthorization()');
  });

  it('names unknown connectors and methods', async () => {
    const { runtime } = setup();
    await expect(
      runtime.addInstance({ connectorId: 'nope', authMethodId: 'x', name: 'A' }),
    ).rejects.toMatchObject({ code: 'CONNECTOR_NOT_FOUND' });
    await expect(
      runtime.addInstance({ connectorId: 'acme', authMethodId: 'x', name: 'A' }),
    ).rejects.toMatchObject({ code: 'AUTH_METHOD_NOT_FOUND' });
    await expect(
      runtime.addInstance({ connectorId: 'acme', authMethodId: 'acme-token', name: '' }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(
      runtime.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-token',
        name: 'A',
        rateLimit: { amount: 0, unit: 'second' },
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('beginAuthorization and completeAuthorization', () => {
  const input = {
    connectorId: 'acme',
    authMethodId: 'acme-oauth',
    name: 'Acme OAuth',
    variables: { account: 'eu', client_id: 'client-1' },
  };

  it('saves a one-time pending authorization and returns the authorise URL', async () => {
    const { runtime, store } = setup(() => 1_000_000);
    const started = await runtime.beginAuthorization(input);
    expect(started.authorizationUrl).toContain('client_id=client-1');
    expect(started.expiresAt).toBe(1_000_000 + 10 * 60 * 1000);
    const pending = await store.get(storeKeys.pending(started.state));
    expect(pending?.value).toMatchObject({
      connectorId: 'acme',
      authMethodId: 'acme-oauth',
      name: 'Acme OAuth',
      data: { verifier: 'v-secret' },
    });
  });

  it('checks required variables before the strategy runs', async () => {
    const { runtime } = setup();
    const error = await rejection(
      runtime.beginAuthorization({ ...input, variables: { account: 'eu' } }),
    );
    expect(error.code).toBe('VARIABLE_MISSING');
    expect(error.details['keys']).toEqual(['client_id']);
  });

  it('refuses a non-interactive method with AUTH_NOT_INTERACTIVE', async () => {
    const { runtime } = setup();
    const error = await rejection(
      runtime.beginAuthorization({
        connectorId: 'acme',
        authMethodId: 'acme-token',
        name: 'T',
        variables: { account: 'eu', api_key: 'key-abcd' },
      }),
    );
    expect(error.code).toBe('AUTH_NOT_INTERACTIVE');
    expect(error.message).toContain('addInstance()');
  });

  it.each([
    [
      'a callback URL string',
      (state: string) => `https://app.example/cb?code=good-code&state=${state}`,
    ],
    [
      'a URL object',
      (state: string) => new URL(`https://app.example/cb?code=good-code&state=${state}`),
    ],
    ['a query string', (state: string) => `?code=good-code&state=${state}`],
    ['a query object', (state: string) => ({ code: 'good-code', state })],
    ['URLSearchParams', (state: string) => new URLSearchParams({ code: 'good-code', state })],
  ])('completes from %s and saves the instance and credentials first', async (_name, callback) => {
    const { runtime, store } = setup();
    const { state } = await runtime.beginAuthorization(input);
    const instance = await runtime.completeAuthorization(callback(state));
    expect(instance).toMatchObject({ status: 'active', connectorId: 'acme', name: 'Acme OAuth' });
    const credentials = await store.get(storeKeys.credentials(instance.id));
    expect(credentials?.value).toMatchObject({ values: { access_token: 'tok-1' } });
    expect((await store.get(storeKeys.instance(instance.id)))?.value).toMatchObject({
      id: instance.id,
      status: 'active',
    });
    expect(JSON.stringify(instance)).not.toContain('tok-1');
  });

  it('rejects a reused, unknown or missing state with AUTH_STATE_INVALID', async () => {
    const { runtime } = setup();
    const { state } = await runtime.beginAuthorization(input);
    await runtime.completeAuthorization({ code: 'good-code', state });
    await expect(runtime.completeAuthorization({ code: 'good-code', state })).rejects.toMatchObject(
      { code: 'AUTH_STATE_INVALID' },
    );
    await expect(
      runtime.completeAuthorization({ code: 'good-code', state: 'forged' }),
    ).rejects.toMatchObject({ code: 'AUTH_STATE_INVALID' });
    const missing = await rejection(runtime.completeAuthorization('code=good-code'));
    expect(missing.code).toBe('AUTH_STATE_INVALID');
    expect(missing.message).toMatch(/^The callback's "state" is missing: /);
  });

  it("leads with the provider's refusal when a callback carries error but no known state", async () => {
    const { runtime } = setup();
    const denied = await rejection(
      runtime.completeAuthorization(
        'error=access_denied&error_description=The+user+pressed+Cancel&code=leaked-code-0001',
      ),
    );
    expect(denied.code).toBe('AUTH_STATE_INVALID');
    expect(denied.message).toMatch(
      /^The provider refused the authorization: access_denied \(The user pressed Cancel\)\. The callback's "state" is missing/,
    );
    expect(denied.details).toEqual({
      statePresent: false,
      providerError: 'access_denied',
      providerErrorDescription: 'The user pressed Cancel',
    });
    // An empty error names no refusal: the state problem alone, as without one.
    const empty = await rejection(runtime.completeAuthorization('error=&code=c1&state=forged'));
    expect(empty.message).toMatch(/^The callback's "state" is unknown/);
    expect(empty.details).toEqual({ statePresent: true });
    // A description that quotes the code (some providers echo the request) never shows it.
    const echoed = await rejection(
      runtime.completeAuthorization(
        'error=invalid_request&error_description=code+Opaque4Code+is+not+for+you&code=Opaque4Code',
      ),
    );
    expect(echoed.message).toContain('invalid_request (code [redacted] is not for you)');
    expect(JSON.stringify({ ...echoed, message: echoed.message })).not.toContain('Opaque4Code');
    const forged = await rejection(
      runtime.completeAuthorization({ error: 'access_denied', state: 'forged' }),
    );
    expect(forged.message).toMatch(
      /^The provider refused the authorization: access_denied\. The callback's "state" is unknown/,
    );
  });

  it('rejects an expired state with AUTH_STATE_INVALID', async () => {
    let clock = 5_000_000;
    const { runtime } = setup(() => clock);
    const { state } = await runtime.beginAuthorization(input);
    clock += 10 * 60 * 1000 + 1;
    await expect(runtime.completeAuthorization({ code: 'good-code', state })).rejects.toMatchObject(
      { code: 'AUTH_STATE_INVALID' },
    );
  });

  it('consumes the state even when the strategy fails, and saves no instance', async () => {
    const { runtime, store } = setup();
    const { state } = await runtime.beginAuthorization(input);
    await expect(runtime.completeAuthorization({ code: 'bad', state })).rejects.toMatchObject({
      code: 'AUTH_DENIED',
    });
    await expect(runtime.completeAuthorization({ code: 'good-code', state })).rejects.toMatchObject(
      { code: 'AUTH_STATE_INVALID' },
    );
    expect(await store.keys(storeKeys.instances)).toEqual([]);
  });

  it('re-authorizes an existing instance in place, keeping its id', async () => {
    const { runtime, store } = setup();
    const first = await runtime.beginAuthorization(input);
    const instance = await runtime.completeAuthorization({ code: 'good-code', state: first.state });
    const key = storeKeys.instance(instance.id);
    const entry = await store.get(key);
    await store.set(key, { ...(entry!.value as object), status: 'reauthorization_required' });
    const again = await runtime.beginAuthorization({ instanceId: instance.id });
    const renewed = await runtime.completeAuthorization({ code: 'good-code', state: again.state });
    expect(renewed.id).toBe(instance.id);
    expect(renewed.status).toBe('active');
    expect((await store.get(storeKeys.credentials(instance.id)))?.value).toMatchObject({
      values: { access_token: 'tok-2' },
    });
    expect(await runtime.listInstances()).toHaveLength(1);
  });
});

describe('getInstance, listInstances and deleteInstance', () => {
  it('lists, reads and deletes instances with their credentials', async () => {
    const { runtime, store } = setup();
    const a = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'A',
      variables: { account: 'a', api_key: 'key-aaaa' },
      rateLimit: { amount: 2, unit: 'minute' },
    });
    const b = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'B',
      variables: { account: 'b', api_key: 'key-bbbb' },
    });
    expect(a.rateLimit).toEqual({ amount: 2, unit: 'minute' });
    const listed = await runtime.listInstances();
    expect(listed.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
    expect(JSON.stringify(listed)).not.toMatch(/key-aaaa|key-bbbb/);
    expect(await runtime.deleteInstance(a)).toBe(true);
    expect(await runtime.deleteInstance(a.id)).toBe(false);
    expect(await runtime.getInstance(a.id)).toBeUndefined();
    expect(await store.get(storeKeys.credentials(a.id))).toBeUndefined();
    await expect(runtime.callEndpoint(a.id, 'orders')).rejects.toMatchObject({
      code: 'INSTANCE_NOT_FOUND',
    });
    expect(SpliceError.is(await rejection(runtime.listEndpoints(a.id)), 'INSTANCE_NOT_FOUND')).toBe(
      true,
    );
  });
});
