import { MemoryStore } from '@splice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  consentedInstance,
  endpoint,
  method,
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
  const base = acmeConnector(server.url);
  runtime = createRuntime({
    connectors: [
      {
        ...base,
        authMethods: [
          base.authMethods[0]!,
          method('acme-token', 'test-token', {
            variables: [variable('signing_secret', { secret: true })],
            request: {
              query: {},
              headers: { 'X-Signing': '{{signing_secret}}' },
              body: { client: 'splice' },
            },
          }),
        ],
        endpoints: [
          ...base.endpoints,
          endpoint('search', `${server.url}/{{account}}/search`, ['acme-token'], {
            method: 'POST',
            direction: 'send',
            request: { query: { page: '{{page}}', cursor: '{{cursor}}' }, headers: {}, body: {} },
            variables: [
              variable('page', { default: '1' }),
              variable('cursor', { secret: true, default: 'c0' }),
            ],
          }),
        ],
      },
    ],
    strategies: [testTokenStrategy(), testOAuthStrategy()],
    store: new MemoryStore(),
  });
  const instance = await runtime.addInstance({
    connectorId: 'acme',
    authMethodId: 'acme-token',
    name: 'Token',
    variables: { account: 'northwind', api_key: 'key-secret1', signing_secret: 'sign-secret2' },
  });
  return { runtime, server, instance };
}

describe('previewRequest', () => {
  it('renders what callEndpoint sends, secrets masked, and sends nothing', async () => {
    const { runtime, server, instance } = await setup();
    const input = {
      variables: { page: '3', cursor: 'cur-secret3' },
      body: { q: 'open' },
      headers: { 'X-Trace': 't1' },
    };
    const preview = await runtime.previewRequest(instance, 'search', input);
    expect(server.requests).toHaveLength(0);
    expect(preview).toEqual({
      method: 'POST',
      // The endpoint's secret variable, given with the call, is masked like the instance's secrets.
      url: `${server.url}/northwind/search?page=3&cursor=[redacted]`,
      headers: {
        'x-signing': '[redacted]',
        'x-trace': 't1',
        'x-api-key': '[redacted]',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ client: 'splice', q: 'open' }),
      signed: false,
    });
    expect(JSON.stringify(preview)).not.toMatch(/key-secret1|sign-secret2|cur-secret3/);
    // The call sends the same request, with the secrets.
    await runtime.callEndpoint(instance, 'search', input);
    const sent = server.requests[0]!;
    expect(`${server.url}${sent.url}`).toBe(preview.url.replace('[redacted]', 'cur-secret3'));
    expect(sent.method).toBe(preview.method);
    expect(sent.body).toBe(preview.body);
    for (const name of Object.keys(preview.headers)) expect(sent.headers[name]).toBeDefined();
    expect(sent.headers['x-api-key']).toBe('key-secret1');
    expect(sent.headers['x-signing']).toBe('sign-secret2');
  });

  it('masks the bearer token of an OAuth instance and gates like a call', async () => {
    const { runtime, server } = await setup();
    const instance = await consentedInstance(runtime);
    const preview = await runtime.previewRequest(instance, 'list-orders');
    expect(preview).toMatchObject({
      method: 'GET',
      url: `${server.url}/eu/orders?status=open`,
      headers: { authorization: 'Bearer [redacted]' },
    });
    expect(JSON.stringify(preview)).not.toContain('tok-1');
    await expect(runtime.previewRequest(instance, 'orders')).rejects.toMatchObject({
      code: 'ENDPOINT_NOT_ENABLED',
    });
    await expect(runtime.previewRequest(instance, 'nope')).rejects.toMatchObject({
      code: 'ENDPOINT_NOT_FOUND',
    });
    await expect(
      runtime.previewRequest(instance, 'list-orders', { variables: { access_token: 'x' } }),
    ).rejects.toMatchObject({ code: 'VARIABLE_INVALID', details: { reason: 'credential' } });
    // A real call afterwards still carries the real token: the preview touched no shared cache.
    await runtime.callEndpoint(instance, 'list-orders');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tok-1');
  });
});
