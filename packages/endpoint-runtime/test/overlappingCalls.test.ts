// Two calls of one endpoint in flight across a credential change: each call's error is scrubbed
// of the credentials that call sent, whatever the other call did meanwhile.
import type { AuthStrategy, Credentials } from '@splice/core';
import { describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import { endpoint, method, startTestServer } from './support/fixtures.js';

const OLD_TOKEN = 'old-token-0123456789abcdef';
const NEW_TOKEN = 'new-token-fedcba9876543210';

describe('overlapping calls across a credential change', () => {
  it('scrub each error with the credentials its own call sent', async () => {
    // A strategy in the middle of a proactive refresh: the old token is still valid, the next
    // caller already gets the new one.
    let current: Credentials = { values: { access_token: OLD_TOKEN }, obtainedAt: 0 };
    const strategy: AuthStrategy = {
      type: 'rotating',
      interactive: false,
      variables: [],
      apply: { headers: { Authorization: 'Bearer {{access_token}}' }, query: {} },
      authenticate: async () => current,
      getCredentials: async () => current,
    };
    const server = await startTestServer();
    let releaseFirst: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    // The API echoes the token it was sent in a 400; it holds the first answer until the second
    // call has been sent with the new token.
    server.handle = (req, res) => {
      const echo = `rejected ${String(req.headers['authorization'])}`;
      const answer = (): void => {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end(echo);
      };
      if (String(req.headers['authorization']).includes(OLD_TOKEN)) void firstHeld.then(answer);
      else {
        answer();
        releaseFirst();
      }
    };
    const runtime = createRuntime({
      connectors: [
        {
          id: 'api',
          name: 'API',
          version: '1',
          variables: [],
          authMethods: [method('m', 'rotating')],
          endpoints: [endpoint('e', `${server.url}/e`, ['m'])],
        },
      ],
      strategies: [strategy],
      retry: { retries: 0 },
    });
    const instance = await runtime.addInstance({
      connectorId: 'api',
      authMethodId: 'm',
      name: 'x',
    });
    const first = runtime.callEndpoint(instance, 'e').catch((e: unknown) => e);
    // Let the first call reach the server with the old token, then rotate.
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    current = { values: { access_token: NEW_TOKEN }, obtainedAt: 1 };
    const second = runtime.callEndpoint(instance, 'e').catch((e: unknown) => e);
    const errors = await Promise.all([first, second]);
    for (const error of errors) {
      const text = JSON.stringify({ message: (error as Error).message, ...(error as object) });
      expect(text).toContain('ENDPOINT_HTTP_ERROR');
      expect(text).not.toContain(OLD_TOKEN);
      expect(text).not.toContain(NEW_TOKEN);
    }
    await runtime.close();
    await server.close();
  });
});
