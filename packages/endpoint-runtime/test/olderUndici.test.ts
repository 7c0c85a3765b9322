import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import {
  acmeConnector,
  rejection,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
} from './support/fixtures.js';

// This file must not load undici's index: it fills the version-1 global slot with an undici 7
// Agent when it loads, and Node's built-in fetch would then use that one instead of its own.
const V1 = Symbol.for('undici.globalDispatcher.1');

describe('createRuntime with a dispatcher of undici before 7', () => {
  let server: TestServer;
  // Node's built-in fetch's Agent (undici 6 in Node 20 and 22), as an engine might pass it.
  let legacy: Dispatcher;
  beforeAll(async () => {
    server = await startTestServer();
    await (await fetch(`${server.url}/warm-up`)).text();
    legacy = (globalThis as Record<symbol, Dispatcher>)[V1]!;
    expect(process.versions['undici']).toMatch(/^6\./);
    server.requests.length = 0;
  });
  afterAll(() => server.close());

  it('fails the call with INVALID_OPTION naming "dispatcher", sending nothing', async () => {
    const connector = acmeConnector(server.url);
    const runtime = createRuntime({
      connectors: [connector],
      strategies: [testTokenStrategy(), testOAuthStrategy()],
      dispatcher: legacy,
    });
    try {
      const instance = await runtime.addInstance({
        connectorId: connector.id,
        authMethodId: 'acme-token',
        name: 'Token',
        variables: { account: 'eu', api_key: 'key-secret1' },
      });
      const error = await rejection(runtime.callEndpoint(instance, 'orders'));
      expect(error).toBeInstanceOf(TypeError);
      expect(error.code).toBe('INVALID_OPTION');
      expect(error.message).toMatch(/^"dispatcher" is a dispatcher of undici before version 7/);
      expect(error.message).toContain('leave "dispatcher" out of createRuntime()');
      expect(error.message).not.toContain('key-secret1');
      expect(server.requests).toHaveLength(0);
    } finally {
      await runtime.close();
    }
  });
});
