// The per-request signing hook (`AuthStrategy.sign`): a strategy that signs method, URL and body
// with an HMAC, against a real server that recomputes the signature from what it received.
import { createHmac, randomBytes } from 'node:crypto';
import type {
  AuthStrategy,
  Credentials,
  InstanceContext,
  JsonObject,
  OutgoingRequest,
} from '@splice/core';
import { MemoryStore, SpliceError, storeKeys } from '@splice/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  endpoint,
  method,
  type RecordedRequest,
  rejection,
  startTestServer,
  type TestServer,
  variable,
} from './support/fixtures.js';

const mac = (secret: string, nonce: string, method: string, url: string, body: string) =>
  createHmac('sha256', secret).update(`${nonce}\n${method}\n${url}\n${body}`).digest('hex');

interface SigningStrategy extends AuthStrategy {
  /** What `sign` was given, per call. */
  readonly seen: OutgoingRequest[];
  /** The secret of the credentials issued next (a refresh issues a new one). */
  secret: string;
}

// Credentials carry the signing secret (like OAuth 1 token credentials); a 401 refreshes them.
function signingStrategy(): SigningStrategy {
  const cache = new Map<string, Credentials>();
  const strategy: SigningStrategy = {
    type: 'test-signed',
    interactive: false,
    seen: [],
    secret: 'secret-1',
    variables: [variable('key_id', { required: true, locked: true })],
    apply: { headers: { 'X-Key-Id': '{{key_id}}' }, query: {} },
    async authenticate(ctx) {
      // The method's compiled apply is on the context, to check credentials as endpoints send them.
      const [name, template] = ctx.templates.apply.headers[0]!;
      if (name !== 'x-key-id' || template.render(ctx.values) !== 'k1') {
        throw new SpliceError('CREDENTIALS_INVALID', 'unexpected apply on the context');
      }
      return { values: { signing_secret: strategy.secret }, obtainedAt: ctx.now() };
    },
    async getCredentials(ctx) {
      const cached = cache.get(ctx.instance.id);
      if (cached !== undefined) return cached;
      const entry = await ctx.store.get<JsonObject>(storeKeys.credentials(ctx.instance.id));
      const credentials = entry!.value as unknown as Credentials;
      cache.set(ctx.instance.id, credentials);
      return credentials;
    },
    isExpiredResponse: (_ctx, response) => response.status === 401,
    async refresh(ctx: InstanceContext) {
      strategy.secret = 'secret-2';
      const next = { values: { signing_secret: strategy.secret }, obtainedAt: ctx.now() };
      cache.set(ctx.instance.id, next);
      return next;
    },
    async sign(_ctx, request, credentials) {
      strategy.seen.push(request);
      const nonce = randomBytes(8).toString('hex');
      const body =
        typeof request.body === 'string'
          ? request.body
          : Buffer.from(request.body ?? '').toString();
      const secret = credentials.values['signing_secret']!;
      return {
        headers: {
          'X-Nonce': nonce,
          'X-Signature': mac(secret, nonce, request.method, request.url, body),
        },
      };
    },
  };
  return strategy;
}

let server: TestServer;
let runtime: Runtime | undefined;
/** The secret the server accepts now. */
let accepted = 'secret-1';
/** Answers to give before the normal one (a 503 to make the retry layer try again). */
let queued: number[] = [];

// The server's own check, from the request as it arrived.
function verified(req: RecordedRequest, base: string): boolean {
  const nonce = String(req.headers['x-nonce'] ?? '');
  const expected = mac(accepted, nonce, req.method, `${base}${req.url}`, req.body);
  return req.headers['x-signature'] === expected && req.headers['x-key-id'] === 'k1';
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(() => runtime?.close());

async function setup() {
  server.requests.length = 0;
  accepted = 'secret-1';
  queued = [];
  server.handle = (req, res) => {
    const status = queued.shift() ?? (verified(req, server.url) ? 200 : 401);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: status === 200 }));
  };
  const strategy = signingStrategy();
  runtime = createRuntime({
    connectors: [
      {
        id: 'signed',
        name: 'Signed',
        version: '1',
        variables: [],
        authMethods: [method('hmac', 'test-signed')],
        endpoints: [
          endpoint('list', `${server.url}/items?page={{page}}`, ['hmac'], {
            variables: [variable('page', { default: '1' })],
          }),
          endpoint('create', `${server.url}/items`, ['hmac'], {
            method: 'POST',
            direction: 'send',
            bodyFormat: 'form',
          }),
        ],
      },
    ],
    strategies: [strategy],
    store: new MemoryStore(),
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
  });
  const instance = await runtime.addInstance({
    connectorId: 'signed',
    authMethodId: 'hmac',
    name: 'Signed',
    variables: { key_id: 'k1' },
  });
  return { runtime, strategy, instance };
}

describe('AuthStrategy.sign', () => {
  it('signs the request exactly as sent: URL with the query, form body, apply headers', async () => {
    const { runtime, strategy, instance } = await setup();
    const listed = await runtime.callEndpoint(instance, 'list', { variables: { page: '2' } });
    expect(listed.status).toBe(200);
    const created = await runtime.callEndpoint(instance, 'create', {
      body: { name: 'a b', qty: 2 },
    });
    expect(created.status).toBe(200);
    expect(strategy.seen.map((r) => [r.method, r.url, r.body])).toEqual([
      ['GET', `${server.url}/items?page=2`, undefined],
      ['POST', `${server.url}/items`, 'name=a+b&qty=2'],
    ]);
    // The strategy sees the rendered apply and the body's content type, lower-case.
    expect(strategy.seen[1]?.headers).toMatchObject({
      'x-key-id': 'k1',
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(server.requests.every((r) => verified(r, server.url))).toBe(true);
  });

  it('signs every attempt afresh: a retried request carries a new nonce', async () => {
    const { runtime, strategy, instance } = await setup();
    queued = [503];
    expect((await runtime.callEndpoint(instance, 'list')).status).toBe(200);
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first?.headers['x-nonce']).not.toBe(second?.headers['x-nonce']);
    expect(verified(second!, server.url)).toBe(true);
    // Neither attempt showed the strategy a previous signature: the kept request is not changed.
    expect(strategy.seen.every((r) => r.headers['x-signature'] === undefined)).toBe(true);
  });

  it('signs the replay after a refresh with the refreshed credentials', async () => {
    const { runtime, strategy, instance } = await setup();
    await runtime.callEndpoint(instance, 'list');
    accepted = 'secret-2'; // the server rotated the secret: the old signature is refused
    expect((await runtime.callEndpoint(instance, 'list')).status).toBe(200);
    expect(strategy.secret).toBe('secret-2');
    expect(server.requests.map((r) => verified(r, server.url))).toEqual([false, false, true]);
  });

  it('fails the call with the strategy’s own error, nothing sent', async () => {
    const { runtime, strategy, instance } = await setup();
    strategy.sign = async () => {
      throw new SpliceError('CREDENTIALS_INVALID', 'cannot sign');
    };
    const error = await rejection(runtime.callEndpoint(instance, 'list'));
    expect(error.code).toBe('CREDENTIALS_INVALID');
    expect(server.requests).toHaveLength(0);
  });
});
