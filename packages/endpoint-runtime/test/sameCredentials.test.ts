import type { AuthStrategy, Credentials } from '@splice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameCredentials } from '../src/calls/sameCredentials.js';
import { createRuntime } from '../src/index.js';
import {
  acmeConnector,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  variable,
} from './support/fixtures.js';

describe('sameCredentials', () => {
  const a: Credentials = { values: { access_token: 't1', token_type: 'Bearer' }, obtainedAt: 1 };
  it('treats equal values as the same, whatever the object', () => {
    expect(sameCredentials(a, a)).toBe(true);
    expect(
      sameCredentials(a, { values: { token_type: 'Bearer', access_token: 't1' }, obtainedAt: 2 }),
    ).toBe(true);
    expect(sameCredentials(undefined, a)).toBe(false);
    expect(
      sameCredentials(a, { values: { access_token: 't2', token_type: 'Bearer' }, obtainedAt: 1 }),
    ).toBe(false);
    expect(sameCredentials(a, { values: { access_token: 't1' }, obtainedAt: 1 })).toBe(false);
    expect(sameCredentials(a, { values: { ...a.values, extra: 'x' }, obtainedAt: 1 })).toBe(false);
  });
});

describe('a strategy that hands out a fresh credentials object per call', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('gets the current credential applied on every call', async () => {
    let token = 'first';
    const strategy: AuthStrategy = {
      type: 'test-token',
      interactive: false,
      variables: [variable('api_key', { locked: true })],
      apply: { headers: { Authorization: 'Bearer {{access_token}}' }, query: {} },
      authenticate: async () => ({ values: {}, obtainedAt: 0 }),
      getCredentials: async () => ({ values: { access_token: token }, obtainedAt: Date.now() }),
    };
    const runtime = createRuntime({
      connectors: [acmeConnector(server.url)],
      strategies: [strategy, testOAuthStrategy()],
    });
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'T',
      variables: { account: 'a' },
    });
    await runtime.callEndpoint(instance, 'orders');
    await runtime.callEndpoint(instance, 'orders');
    token = 'second';
    await runtime.callEndpoint(instance, 'orders');
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer first',
      'Bearer first',
      'Bearer second',
    ]);
    await runtime.close();
  });
});
