// Who may set which variable at call time (SPEC §3), for arbitrary call variables: a call sets
// endpoint variables and `perCall` connector/auth variables only; it never moves the instance's
// requests (and its credential) to another origin, never changes a value set for the instance,
// and every refused key is a VARIABLE_INVALID naming that key, with nothing sent.
import { MemoryStore, SpliceError } from '@splice/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Layer } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  endpoint,
  method,
  rejection,
  testOAuthStrategy,
  testTokenStrategy,
  variable,
} from './support/fixtures.js';

const ORIGIN = 'https://northwind.shop.example';
const SAVED = { shop: 'northwind', tenant: 't-saved', region: 'eu', api_key: 'key-saved1' };

/** Keys a call may set, per endpoint: the expected rule, written out by hand. */
const SETTABLE: Readonly<Record<string, readonly string[]>> = {
  // `shop` (host), `tenant` (connector, not perCall) and `api_key` (auth) are the instance's.
  orders: ['region', 'status'],
  // Redeclares `shop` and `tenant` as endpoint variables: still not settable per call.
  sneaky: ['region', 'page'],
  // `region` is perCall, but here it is in the host: the origin never changes per call.
  regional: ['status'],
};
const KEYS = [
  'shop',
  'tenant',
  'region',
  'status',
  'page',
  'api_key',
  'access_token',
  'refresh_token',
  'token_type',
  'constructor',
  'toString',
  'unknown_key',
] as const;

/** The request each call's transport would send; nothing leaves the process. */
const sent: {
  endpointId: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
}[] = [];
const recorder: Layer = () => async (call) => {
  const request = call.request!;
  sent.push({
    endpointId: call.ids.endpointId,
    origin: String(request.origin),
    path: request.path,
    headers: { ...(request.headers as Record<string, string>) },
  });
  return { status: 200, headers: {}, body: '{}' };
};

let runtime: Runtime;
let instanceId: string;

beforeAll(async () => {
  const orders = '/{{region}}/{{tenant}}/orders?status={{status}}';
  runtime = createRuntime({
    connectors: [
      acmeConnector('unused', {
        id: 'shop',
        variables: [
          variable('shop', { required: true, configurable: false }),
          variable('tenant', { required: true }),
          variable('region', { required: true, perCall: true }),
        ],
        authMethods: [
          method('acme-token', 'test-token', {
            request: { query: {}, headers: { 'X-Tenant': '{{tenant}}' }, body: {} },
          }),
        ],
        endpoints: [
          endpoint('orders', `https://{{shop}}.shop.example${orders}`, ['acme-token'], {
            variables: [variable('status', { default: 'open' })],
          }),
          endpoint('sneaky', `https://{{shop}}.shop.example/{{page}}/{{tenant}}`, ['acme-token'], {
            variables: [variable('shop'), variable('tenant'), variable('page', { default: '1' })],
          }),
          endpoint('regional', 'https://{{region}}.api.example/{{status}}', ['acme-token'], {
            variables: [variable('status', { default: 'open' })],
          }),
        ],
      }),
    ],
    strategies: [testTokenStrategy()],
    store: new MemoryStore(),
    layers: [recorder],
    retry: { retries: 0 },
  });
  const instance = await runtime.addInstance({
    connectorId: 'shop',
    authMethodId: 'acme-token',
    name: 'Northwind',
    variables: SAVED,
  });
  instanceId = instance.id;
});
afterAll(async () => {
  await runtime.close();
});

const callVariables = fc.dictionary(fc.constantFrom(...KEYS), fc.string({ maxLength: 40 }), {
  maxKeys: 4,
});

describe('callEndpoint variables', () => {
  it('refuses every key a call may not set, naming it, and never changes the origin or an instance value', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('orders', 'sneaky', 'regional'),
        callVariables,
        async (endpointId, variables) => {
          const before = sent.length;
          const refused = Object.keys(variables).filter(
            (key) => !SETTABLE[endpointId]!.includes(key),
          );
          let error: unknown;
          try {
            await runtime.callEndpoint(instanceId, endpointId, { variables });
          } catch (caught) {
            error = caught;
          }
          if (refused.length > 0) {
            expect(SpliceError.is(error, 'VARIABLE_INVALID')).toBe(true);
            const { key } = (error as SpliceError<'VARIABLE_INVALID'>).details;
            expect(refused).toContain(key);
            expect((error as Error).message).toContain(`Variable "${key}" cannot be set`);
            expect(sent.length).toBe(before);
            return;
          }
          // Accepted keys may still carry a value a template refuses; nothing is sent then.
          if (error !== undefined) {
            expect(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE')).toBe(true);
            expect(sent.length).toBe(before);
            return;
          }
          const request = sent.at(-1)!;
          expect(sent.length).toBe(before + 1);
          expect(request.origin).toBe(
            endpointId === 'regional' ? 'https://eu.api.example' : ORIGIN,
          );
          // The instance's own values still reach every request: tab, credential, path.
          expect(request.headers['x-tenant']).toBe(SAVED.tenant);
          expect(request.headers['x-api-key']).toBe(SAVED.api_key);
          if (endpointId !== 'regional') {
            expect(request.path).toContain(`/${SAVED.tenant}`);
          }
        },
      ),
      { numRuns: 500 },
    );
    // Nothing a call passed was saved on the instance.
    const instance = await runtime.getInstance(instanceId);
    expect(instance?.variables).toEqual({ ...SAVED, api_key: '[redacted]' });
  });

  it('says why a key is refused', async () => {
    const reasons = async (endpointId: string, key: string) => {
      const error = (await runtime
        .callEndpoint(instanceId, endpointId, { variables: { [key]: 'x' } })
        .catch((e: unknown) => e)) as SpliceError<'VARIABLE_INVALID'>;
      expect(error.code).toBe('VARIABLE_INVALID');
      return error.details.reason;
    };
    expect(await reasons('orders', 'shop')).toBe('origin');
    expect(await reasons('sneaky', 'shop')).toBe('origin');
    expect(await reasons('regional', 'region')).toBe('origin');
    expect(await reasons('orders', 'tenant')).toBe('instance');
    expect(await reasons('sneaky', 'tenant')).toBe('instance');
    expect(await reasons('orders', 'api_key')).toBe('instance');
    expect(await reasons('orders', 'access_token')).toBe('credential');
    expect(await reasons('orders', 'page')).toBe('unknown');
  });
});

describe('beginAuthorization({ instanceId }) (renewal)', () => {
  it('may change auth and connector values, never one that chooses the origin', async () => {
    const renewing = createRuntime({
      connectors: [
        acmeConnector('unused', {
          variables: [variable('shop', { required: true }), variable('tenant')],
          authMethods: [method('acme-oauth', 'test-oauth', { variables: [variable('client_id')] })],
          endpoints: [
            endpoint('orders', 'https://{{shop}}.shop.example/{{tenant}}', ['acme-oauth']),
          ],
        }),
      ],
      strategies: [testOAuthStrategy()],
      store: new MemoryStore(),
    });
    try {
      const { state } = await renewing.beginAuthorization({
        connectorId: 'acme',
        authMethodId: 'acme-oauth',
        name: 'Northwind',
        variables: { shop: 'northwind', tenant: 't1', client_id: 'c1' },
      });
      const instance = await renewing.completeAuthorization({ code: 'good-code', state });
      const error = await rejection(
        renewing.beginAuthorization({ instanceId: instance.id, variables: { shop: 'attacker' } }),
      );
      expect(error).toMatchObject({
        code: 'VARIABLE_INVALID',
        details: { key: 'shop', reason: 'origin', instanceId: instance.id },
      });
      expect(error.message).toContain('Variable "shop" cannot be set when renewing');
      // The same host, and values that do not choose it, are fine.
      const renewal = await renewing.beginAuthorization({
        instanceId: instance.id,
        variables: { shop: 'northwind', tenant: 't2', client_id: 'c2' },
      });
      const renewed = await renewing.completeAuthorization({
        code: 'good-code',
        state: renewal.state,
      });
      expect(renewed.variables).toMatchObject({ shop: 'northwind', tenant: 't2', client_id: 'c2' });
    } finally {
      await renewing.close();
    }
  });
});

describe('updateInstance', () => {
  it('refuses a new value for a variable in a URL host, even a configurable one', async () => {
    const updating = createRuntime({
      connectors: [
        acmeConnector('unused', {
          variables: [
            variable('shop', { required: true, configurable: true }),
            variable('tenant', { configurable: true }),
          ],
          authMethods: [method('acme-token', 'test-token')],
          endpoints: [
            endpoint('orders', 'https://{{shop}}.shop.example/{{tenant}}', ['acme-token']),
          ],
        }),
      ],
      strategies: [testTokenStrategy()],
      store: new MemoryStore(),
    });
    try {
      const instance = await updating.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-token',
        name: 'Northwind',
        variables: { shop: 'northwind', tenant: 't1', api_key: 'key-update1' },
      });
      const error = await rejection(
        updating.updateInstance(instance, { variables: { shop: 'attacker' } }),
      );
      expect(error).toMatchObject({ code: 'VARIABLE_INVALID', details: { readOnly: ['shop'] } });
      const updated = await updating.updateInstance(instance, {
        variables: { shop: 'northwind', tenant: 't2' },
      });
      expect(updated.variables).toMatchObject({ shop: 'northwind', tenant: 't2' });
    } finally {
      await updating.close();
    }
  });
});
