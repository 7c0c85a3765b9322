// An error body is cut at ERROR_BODY_LIMIT characters: wherever the cut falls, nothing of the
// instance's secret survives, in any form the API may echo it.
import { MemoryStore } from '@splice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_BODY_LIMIT } from '../src/calls/toEndpointResult.js';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  endpoint,
  rejection,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
} from './support/fixtures.js';

const API_KEY = 'key-7f3a9c1e5b2d8f4a6c0e9b8d7f6a5c4e';
// The other encodings (percent, form, JSON) are covered for every cut by core's property test.
const ENCODINGS: Record<string, (s: string) => string> = {
  raw: (s) => s,
  base64: (s) => Buffer.from(s).toString('base64'),
  // The secret part of `Basic base64("user:" + key)` (byte offset 5, so from character 7 on).
  'base64 inside Basic': (s) => Buffer.from(`user:${s}`).toString('base64').slice(7),
};

let server: TestServer;
let runtime: Runtime;
let body = '';

beforeAll(async () => {
  server = await startTestServer();
  server.handle = (_req, res) => {
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(body);
  };
  runtime = createRuntime({
    connectors: [
      acmeConnector(server.url, {
        endpoints: [endpoint('echo', `${server.url}/{{account}}/echo`, ['acme-token'])],
      }),
    ],
    strategies: [testTokenStrategy(), testOAuthStrategy()],
    store: new MemoryStore(),
    retry: { retries: 0 },
  });
});
afterAll(async () => {
  await runtime.close();
  await server.close();
});

describe('ENDPOINT_HTTP_ERROR body at the cut', () => {
  it.each(Object.keys(ENCODINGS))(
    'keeps no beginning of a %s secret, whatever the cut position',
    async (encoding) => {
      const instance = await runtime.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-token',
        name: encoding,
        variables: { account: 'eu', api_key: API_KEY },
      });
      // The form of the saved API key, as the API echoes it.
      const form = ENCODINGS[encoding]!(API_KEY);
      expect(form.length).toBeGreaterThan(20);
      for (let start = ERROR_BODY_LIMIT - form.length - 2; start <= ERROR_BODY_LIMIT + 2; start++) {
        body = `${'.'.repeat(start)}${form} and more`;
        const error = await rejection(runtime.callEndpoint(instance, 'echo'));
        expect(error.code).toBe('ENDPOINT_HTTP_ERROR');
        const kept = error.details['body'] as string;
        expect(kept.length).toBeLessThanOrEqual(ERROR_BODY_LIMIT);
        // What follows the dots is never the secret's beginning, even one character of it.
        const rest = kept.slice(start);
        if (rest !== '' && form.startsWith(rest)) {
          expect.fail(`a cut with the ${encoding} form at ${start} kept "${rest}"`);
        }
        expect(kept).not.toContain(form.slice(0, 4));
      }
    },
  );
});
