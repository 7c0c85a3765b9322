import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRequest, sendWithDeadline, UndiciAgent } from '../src/index.js';

// This file must not load undici's index: it fills the version-1 global slot with an undici 7
// Agent when it loads, and Node's built-in fetch would then use that one instead of its own.
const V1 = Symbol.for('undici.globalDispatcher.1');

function refusal(error: unknown): TypeError & { code?: unknown; cause?: unknown } {
  if (!(error instanceof TypeError)) throw new Error(`expected a TypeError, got ${String(error)}`);
  return error;
}

// Node 20 and 22 bundle undici 6 for their fetch; a Node whose fetch runs undici 7 has no older
// dispatcher to test with.
const builtIn = process.versions['undici'] ?? 'none';
const olderBuiltIn = /^[1-6]\./.test(builtIn);
if (!olderBuiltIn) console.warn(`skipped: Node's built-in fetch runs undici ${builtIn}, not 6`);

describe.skipIf(!olderBuiltIn)('a dispatcher of undici before 7', () => {
  const seen: IncomingMessage[] = [];
  let server: Server;
  let origin = '';
  // Node's built-in fetch's Agent (undici 6 in Node 20 and 22): the real thing, not a stand-in.
  let legacy: Dispatcher;
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req);
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await (await fetch(`${origin}/warm-up`)).text();
    legacy = (globalThis as Record<symbol, Dispatcher>)[V1]!;
    expect(legacy).not.toBeInstanceOf(UndiciAgent);
    seen.length = 0;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('is INVALID_OPTION naming "dispatcher", not a network failure, and sends nothing', async () => {
    const error = refusal(
      await sendRequest(
        legacy,
        {
          origin,
          path: '/orders?access_token=secret-in-query',
          method: 'GET',
          headers: { authorization: 'Bearer secret-in-header' },
        },
        { failure: 'ENDPOINT_REQUEST_FAILED', subject: 'The endpoint request', maxBytes: 1000 },
      ).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toMatch(/^"dispatcher" is a dispatcher of undici before version 7/);
    expect(error.message).toContain('undici 7 Agent');
    expect(error.message).toContain('so the endpoint request was not sent.');
    expect(error.message).not.toContain('reachable');
    expect(error.message).not.toContain('secret');
    expect(error.cause).toMatchObject({
      code: 'UND_ERR_INVALID_ARG',
      message: 'invalid onError method',
    });
    expect(seen).toHaveLength(0);
  });

  it("leaves no listener on the caller's signal", async () => {
    const controller = new AbortController();
    const error = await sendRequest(
      legacy,
      { origin, path: '/orders', method: 'GET', signal: controller.signal },
      { failure: 'ENDPOINT_REQUEST_FAILED', subject: 'The endpoint request', maxBytes: 1000 },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refusal(error).code).toBe('INVALID_OPTION');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('ends a token request at its first attempt, never retried', async () => {
    const attempts: number[] = [];
    const error = refusal(
      await sendWithDeadline({
        dispatcher: legacy,
        request: (attempt) => {
          attempts.push(attempt);
          return { origin, path: '/token', method: 'POST', body: 'grant_type=x' };
        },
        exchange: {
          failure: 'TOKEN_REQUEST_FAILED',
          subject: `Token request to ${origin}/token`,
          maxBytes: 1000,
        },
        retry: { retries: 3, minDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1000 },
        idempotent: true,
        timeoutMs: 5000,
        now: Date.now,
      }).then(
        () => undefined,
        (e: unknown) => e,
      ),
    );
    expect(error.code).toBe('INVALID_OPTION');
    expect(error.message).toContain(`so token request to ${origin}/token was not sent.`);
    expect(attempts).toEqual([1]);
    expect(seen).toHaveLength(0);
  });

  it('leaves an undici 7 Agent working on the same server', async () => {
    const agent = new UndiciAgent();
    const response = await sendRequest(
      agent,
      { origin, path: '/orders', method: 'GET' },
      { failure: 'ENDPOINT_REQUEST_FAILED', subject: 'The endpoint request', maxBytes: 1000 },
    );
    await agent.close();
    expect(response).toMatchObject({ status: 200, body: 'ok' });
    expect(seen).toHaveLength(1);
  });
});
