import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStore } from '@splice/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, DEFAULT_CONNECTIONS_PER_ORIGIN } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  endpoint,
  method,
  recordingLogger,
  rejection,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
  variable,
} from './support/fixtures.js';

let server: TestServer;
let runtime: Runtime | undefined;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  server.requests.length = 0;
  server.handle = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: req.body }),
    );
  };
});

/** The acme connector whose `account` (a path segment) a call may set. */
function perCallAccount() {
  return acmeConnector(server.url, {
    variables: [variable('account', { required: true, perCall: true })],
  });
}

async function setup(connector = acmeConnector(server.url)) {
  const store = new MemoryStore();
  const oauth = testOAuthStrategy();
  runtime = createRuntime({
    connectors: [connector],
    strategies: [testTokenStrategy(), oauth],
    store,
  });
  const token = await runtime.addInstance({
    connectorId: connector.id,
    authMethodId: 'acme-token',
    name: 'Token',
    variables: { account: 'eu', api_key: 'key-token1' },
  });
  const { state } = await runtime.beginAuthorization({
    connectorId: connector.id,
    authMethodId: 'acme-oauth',
    name: 'OAuth',
    variables: { account: 'eu', client_id: 'c1' },
  });
  const oauthInstance = await runtime.completeAuthorization({ code: 'good-code', state });
  return { runtime, token, oauth: oauthInstance, oauthStrategy: oauth };
}

describe('listEndpoints', () => {
  it('lists exactly the endpoints enabled for the instance method, in definition order, with variables', async () => {
    const { runtime, token, oauth } = await setup();
    const forToken = await runtime.listEndpoints(token);
    expect(forToken.map((e) => e.id)).toEqual(['list-orders', 'orders', 'create-order']);
    expect(forToken[0]?.variables.map((v) => v.key)).toEqual(['status']);
    const forOAuth = await runtime.listEndpoints(oauth.id);
    expect(forOAuth.map((e) => e.id)).toEqual(['list-orders', 'profile', 'create-order']);
    expect(forOAuth.map((e) => e.id)).not.toContain('orders');
  });
});

describe('callEndpoint gating', () => {
  it('refuses an endpoint not enabled for the method with ENDPOINT_NOT_ENABLED, sending nothing', async () => {
    const { runtime, oauth, token } = await setup();
    const error = await rejection(runtime.callEndpoint(oauth, 'orders'));
    expect(error.code).toBe('ENDPOINT_NOT_ENABLED');
    expect(error.details).toMatchObject({
      endpointId: 'orders',
      authMethodId: 'acme-oauth',
      enabledAuthMethods: ['acme-token'],
    });
    expect((await rejection(runtime.callEndpoint(token, 'profile'))).code).toBe(
      'ENDPOINT_NOT_ENABLED',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an unknown endpoint with ENDPOINT_NOT_FOUND and an unknown instance with INSTANCE_NOT_FOUND', async () => {
    const { runtime, token } = await setup();
    const notFound = await rejection(runtime.callEndpoint(token, 'list-orderz'));
    expect(notFound.code).toBe('ENDPOINT_NOT_FOUND');
    expect(notFound.message).toContain('list-orders, orders, profile, create-order');
    expect((await rejection(runtime.callEndpoint('no-such-id', 'orders'))).code).toBe(
      'INSTANCE_NOT_FOUND',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('calls enabled endpoints with the method credential applied', async () => {
    const { runtime, oauth, token } = await setup();
    const viaToken = await runtime.callEndpoint<{ url: string }>(token, 'orders');
    expect(viaToken.status).toBe(200);
    expect(viaToken.data.url).toBe('/eu/orders/all');
    expect(server.requests[0]?.headers['x-api-key']).toBe('key-token1');
    await runtime.callEndpoint(oauth, 'profile');
    expect(server.requests[1]?.headers.authorization).toBe('Bearer tok-1');
    expect(server.requests[1]?.headers['x-api-key']).toBeUndefined();
  });
});

describe('callEndpoint templates and merge order', () => {
  it('reads values from call input, then saved instance values, then defaults', async () => {
    const { runtime, token } = await setup();
    await runtime.callEndpoint(token, 'list-orders');
    expect(server.requests[0]?.url).toBe('/eu/orders?status=open');
    await runtime.callEndpoint(token, 'list-orders', { variables: { status: 'a b&c' } });
    expect(server.requests[1]?.url).toBe('/eu/orders?status=a%20b%26c');
    // `account` is a connector variable: set for the instance, not per call...
    const refused = await rejection(
      runtime.callEndpoint(token, 'list-orders', { variables: { account: 'us' } }),
    );
    expect(refused).toMatchObject({
      code: 'VARIABLE_INVALID',
      details: { key: 'account', reason: 'instance' },
    });
    expect(server.requests).toHaveLength(2);
    // ...unless the definition marks it `perCall`.
    const perCall = await setup(perCallAccount());
    await perCall.runtime.callEndpoint(perCall.token, 'list-orders', {
      variables: { account: 'us' },
    });
    expect(server.requests[2]?.url).toBe('/us/orders?status=open');
  });

  it('merges method header and body tabs, endpoint tabs, call input, then apply last', async () => {
    const connector = acmeConnector('http://placeholder', {
      authMethods: [
        method('acme-oauth', 'test-oauth'),
        method('acme-token', 'test-token', {
          request: {
            query: { v: 'method', m: 'm' },
            headers: { 'X-Layer': 'method', 'X-Method': '{{account}}', 'X-Api-Key': 'method' },
            body: { layer: 'method', fromMethod: true },
          },
        }),
      ],
      endpoints: [
        endpoint('create', `${server.url}/{{account}}/orders`, ['acme-token'], {
          method: 'POST',
          request: {
            query: { v: 'endpoint', e: 'e' },
            headers: { 'x-layer': 'endpoint', 'X-Endpoint': 'e' },
            body: { layer: 'endpoint', fromEndpoint: '{{account}}' },
          },
        }),
      ],
    });
    const { runtime, token } = await setup(connector);
    const { data } = await runtime.callEndpoint<{ url: string }>(token, 'create', {
      headers: { 'X-LAYER': 'call', 'x-api-key': 'call-tries-to-override' },
      query: { v: 'call' },
      body: { layer: 'call', fromCall: 1 },
    });
    const seen = server.requests[0]!;
    expect(new URL(data.url, 'http://x').searchParams.get('v')).toBe('call');
    // The method's URL-parameter tab goes on the authorisation URL only, never on an endpoint.
    expect(new URL(seen.url, 'http://x').searchParams.has('m')).toBe(false);
    expect(seen.url).toContain('e=e');
    expect(seen.headers['x-layer']).toBe('call');
    expect(seen.headers['x-method']).toBe('eu');
    expect(seen.headers['x-endpoint']).toBe('e');
    // The strategy's apply is last: neither the method tab nor the call can replace the credential.
    expect(seen.headers['x-api-key']).toBe('key-token1');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({
      layer: 'call',
      fromMethod: true,
      fromEndpoint: 'eu',
      fromCall: 1,
    });
  });

  it('encodes a form body when the endpoint says form, and sends no body for GET', async () => {
    const connector = acmeConnector(server.url, {
      endpoints: [
        endpoint('form', `${server.url}/form`, ['acme-token'], {
          method: 'PUT',
          bodyFormat: 'form',
          request: { query: {}, headers: {}, body: { a: 'x y', n: 2 } },
        }),
        endpoint('get', `${server.url}/get`, ['acme-token'], {
          request: { query: {}, headers: {}, body: { ignored: true } },
        }),
      ],
    });
    const { runtime, token } = await setup(connector);
    await runtime.callEndpoint(token, 'form', { body: { b: 'z' } });
    expect(server.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(server.requests[0]?.body).toBe('a=x+y&n=2&b=z');
    await runtime.callEndpoint(token, 'get');
    expect(server.requests[1]?.body).toBe('');
  });

  it('sends a non-object body as it is and keeps the raw text of non-JSON data types', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end('id,name\n1,a\n');
    };
    const connector = acmeConnector(server.url, {
      endpoints: [
        endpoint('csv', `${server.url}/csv`, ['acme-token'], { method: 'POST', dataType: 'csv' }),
      ],
    });
    const { runtime, token } = await setup(connector);
    const result = await runtime.callEndpoint(token, 'csv', { body: [1, 2] });
    expect(server.requests[0]?.body).toBe('[1,2]');
    expect(result.data).toBe('id,name\n1,a\n');
    expect(result.body).toBe('id,name\n1,a\n');
    expect(result.headers['content-type']).toBe('text/csv');
  });

  it('refuses a body JSON cannot hold (a cycle, a BigInt, a function) with INVALID_ARGUMENT, sending nothing', async () => {
    const connector = acmeConnector(server.url, {
      endpoints: [
        endpoint('json', `${server.url}/json`, ['acme-token'], { method: 'POST' }),
        endpoint('form', `${server.url}/form`, ['acme-token'], {
          method: 'POST',
          bodyFormat: 'form',
        }),
      ],
    });
    const { runtime, token } = await setup(connector);
    const cyclic: Record<string, unknown> = { sku: 'A1' };
    cyclic['again'] = cyclic;
    const cases = [
      ['json', { order: cyclic }, /"input\.body" .*circular.*'again' closes the circle/],
      ['json', { qty: 2n }, /"input\.body" .*BigInt/],
      ['json', () => 1, /"input\.body" of callEndpoint is a function, which JSON cannot hold/],
      [
        'json',
        { toJSON: () => undefined },
        /"input\.body" of callEndpoint is an object whose toJSON\(\) returns undefined/,
      ],
      [
        'json',
        new Map([['sku', 'A1']]),
        /"input\.body" of callEndpoint is a Map, which JSON writes as \{\}/,
      ],
      ['form', { order: cyclic }, /"input\.body\.order" .*circular/],
      ['form', { tags: new Set(['a']) }, /"input\.body\.tags" of callEndpoint is a Set/],
      // A form field JSON cannot hold is refused too, never sent as its source text.
      ['form', { sku: 'A1', hook: () => 'x' }, /"input\.body\.hook" of callEndpoint is a function/],
      ['form', { tag: Symbol('t') }, /"input\.body\.tag" of callEndpoint is a symbol/],
    ] as const;
    for (const [id, body, message] of cases) {
      const error = await rejection(runtime.callEndpoint(token, id, { body }));
      expect(error).toBeInstanceOf(TypeError);
      expect(error).toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: expect.stringMatching(message),
      });
    }
    expect(server.requests).toHaveLength(0);
  });

  it('fails with TEMPLATE_UNRESOLVED naming the key when a value is missing, sending nothing', async () => {
    const connector = acmeConnector(server.url, {
      endpoints: [endpoint('x', `${server.url}/{{missing_key}}`, ['acme-token'])],
    });
    const { runtime, token } = await setup(connector);
    const error = await rejection(runtime.callEndpoint(token, 'x'));
    expect(error.code).toBe('TEMPLATE_UNRESOLVED');
    expect(error.message).toContain('missing_key');
    expect(server.requests).toHaveLength(0);
  });

  it("refuses a call without a value for an endpoint's required variables, naming them, sending nothing", async () => {
    const connector = acmeConnector(server.url, {
      endpoints: [
        endpoint('order', `${server.url}/orders/{{order_id}}?expand={{expand}}`, ['acme-token'], {
          variables: [
            variable('order_id', { required: true, perCall: true }),
            variable('expand', { required: true, perCall: true }),
            variable('lines', { required: true, perCall: true, default: '10' }),
          ],
        }),
      ],
    });
    const { runtime, token } = await setup(connector);
    // None given (the URL would not render either), one given empty: VARIABLE_MISSING first.
    for (const variables of [undefined, { order_id: '7', expand: '' }]) {
      const error = await rejection(
        runtime.callEndpoint(token, 'order', variables === undefined ? undefined : { variables }),
      );
      expect(error).toMatchObject({
        code: 'VARIABLE_MISSING',
        details: {
          keys: variables === undefined ? ['order_id', 'expand'] : ['expand'],
          endpointId: 'order',
        },
      });
      expect(error.message).toContain('of endpoint "order" of connector "acme"');
    }
    expect(server.requests).toHaveLength(0);
    // A value for each, the third from its default: sent.
    const ok = await runtime.callEndpoint(token, 'order', {
      variables: { order_id: '7', expand: 'lines' },
    });
    expect(ok.status).toBe(200);
    expect(server.requests.at(-1)?.url).toBe('/orders/7?expand=lines');
  });

  it('refuses an unknown call variable with the key meant and only the keys a call may set', async () => {
    const { runtime, token } = await setup();
    const error = await rejection(
      runtime.callEndpoint(token, 'list-orders', { variables: { statsu: 'open' } }),
    );
    expect(error).toMatchObject({
      code: 'VARIABLE_INVALID',
      details: {
        key: 'statsu',
        reason: 'unknown',
        suggestions: { statsu: 'status' },
        settable: ['status'],
      },
    });
    expect(error.message).toContain('did you mean "status"?');
    expect(error.message).toContain('a call to this endpoint may set: status');
    // Instance and credential keys are not offered to a call.
    expect(error.message).not.toMatch(/account|api_key|access_token/);
    const none = await rejection(
      runtime.callEndpoint(token, 'orders', { variables: { status: 'open' } }),
    );
    expect(none.details).toMatchObject({ reason: 'unknown', settable: [] });
    expect(none.message).toContain('a call to this endpoint may set no variable');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses credential keys and non-string values in call input', async () => {
    const { runtime, token } = await setup();
    await expect(
      runtime.callEndpoint(token, 'orders', { variables: { access_token: 'x' } }),
    ).rejects.toMatchObject({
      code: 'VARIABLE_INVALID',
      details: { key: 'access_token', reason: 'credential' },
    });
    await expect(
      runtime.callEndpoint(token, 'orders', { headers: { a: 1 as unknown as string } }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('refuses invalid and reserved call input headers at once, naming the header, not its value', async () => {
    const { runtime, token } = await setup();
    const secret = 'sekret-header-value';
    const cases: Record<string, string>[] = [
      { 'X-A': `${secret}\r\nX-Evil: 1` },
      { 'X-A': `${secret}\n` },
      { 'X-A': `${secret}\u0000` },
      { 'X-A': `${secret}\u0007` },
      { 'X-A': `${secret}\u007f` },
      { 'X-A': `${secret}\u20ac` },
      { 'X-A\r\nX-Evil': secret },
      { 'X A': secret },
      { '': secret },
      { Host: 'internal.acme.example' },
      { 'content-length': '0' },
      { 'Transfer-Encoding': 'chunked' },
      { Connection: 'close' },
      { 'Keep-Alive': 'timeout=5' },
      { Upgrade: 'websocket' },
      { TE: 'trailers' },
      { Trailer: 'x' },
      { 'Proxy-Authorization': 'Basic x' },
    ];
    for (const headers of cases) {
      const error = await rejection(runtime.callEndpoint(token, 'orders', { headers }));
      expect(error, JSON.stringify(headers)).toMatchObject({
        name: 'TypeError',
        code: 'INVALID_ARGUMENT',
      });
      expect(error.message).toContain('input.headers');
      expect(error.message).not.toContain(secret);
    }
    expect(server.requests).toHaveLength(0);
    // Tab and printable Latin-1 are fine.
    await runtime.callEndpoint(token, 'orders', { headers: { 'X-Ok': 'a\tcaf\u00e9' } });
    expect(server.requests[0]?.headers['x-ok']).toBe('a\tcaf\u00e9');
  });

  it('keeps a value from changing the host (placeholder encoded as a path segment)', async () => {
    const { runtime, token } = await setup(perCallAccount());
    await runtime.callEndpoint(token, 'orders', { variables: { account: 'evil.example/x?y=' } });
    expect(server.requests[0]?.url).toBe('/evil.example%2Fx%3Fy%3D/orders/all');
  });
});

describe('callEndpoint results and errors', () => {
  it('turns a non-2xx into ENDPOINT_HTTP_ERROR with status, headers and a bounded, scrubbed body', async () => {
    server.handle = (req, res) => {
      res.writeHead(422, {
        'content-type': 'text/plain',
        'set-cookie': 'sid=abc',
        'x-request-id': 'r1',
      });
      res.end(`bad request, you sent ${req.headers['x-api-key']} ${'x'.repeat(10_000)}`);
    };
    const { runtime, token } = await setup();
    const error = await rejection(runtime.callEndpoint(token, 'orders'));
    expect(error.code).toBe('ENDPOINT_HTTP_ERROR');
    expect(error.details['status']).toBe(422);
    expect(error.details['headers']).toMatchObject({
      'x-request-id': 'r1',
      'set-cookie': '[redacted]',
    });
    const body = error.details['body'] as string;
    expect(body.length).toBeLessThanOrEqual(4096);
    expect(body).toContain('you sent [redacted]');
    expect(JSON.stringify(error.details)).not.toContain('key-token1');
    expect(error.message).not.toContain('key-token1');
  });

  it('fails with RESPONSE_PARSE_FAILED when a json endpoint answers something else', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>key-token1</html>');
    };
    const { runtime, token } = await setup();
    const error = await rejection(runtime.callEndpoint(token, 'orders'));
    expect(error.code).toBe('RESPONSE_PARSE_FAILED');
    expect(JSON.stringify(error.details)).not.toContain('key-token1');
  });

  it('never quotes a 2xx body that is not JSON in RESPONSE_PARSE_FAILED', async () => {
    const data = 'plain text holding account data 4111 1111';
    for (const body of [data, `{"note": ${data}}`, `{"a":1} ${data}`]) {
      server.handle = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      };
      const { runtime, token } = await setup();
      const error = await rejection(runtime.callEndpoint(token, 'orders'));
      expect(error.code).toBe('RESPONSE_PARSE_FAILED');
      const text = JSON.stringify({ message: error.message, details: error.details });
      expect(text).not.toContain('account data');
      expect(text).not.toContain('plain text');
      expect(String(error.details['reason'])).toMatch(/JSON|Unexpected/);
    }
  });

  it('gives data undefined for an empty json body', async () => {
    server.handle = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const { runtime, token } = await setup();
    const result = await runtime.callEndpoint(token, 'orders');
    expect(result).toMatchObject({ status: 204, body: '', data: undefined });
  });

  it('does not follow redirects: a 3xx is an ENDPOINT_HTTP_ERROR and the credential goes nowhere else', async () => {
    const other = await startTestServer();
    server.handle = (_req, res) => {
      res.writeHead(302, { location: `${other.url}/steal` });
      res.end();
    };
    const { runtime, token } = await setup();
    const error = await rejection(runtime.callEndpoint(token, 'orders'));
    expect(error.code).toBe('ENDPOINT_HTTP_ERROR');
    expect(error.details['status']).toBe(302);
    expect(other.requests).toHaveLength(0);
    await other.close();
  });

  it('fails with ENDPOINT_REQUEST_FAILED when the body exceeds maxResponseBytes', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('"');
      res.end(`${'x'.repeat(5000)}"`);
    };
    const connector = acmeConnector(server.url);
    runtime = createRuntime({
      connectors: [connector],
      strategies: [testTokenStrategy(), testOAuthStrategy()],
      maxResponseBytes: 1000,
    });
    const token = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'T',
      variables: { account: 'eu', api_key: 'key-abcd' },
    });
    const error = await rejection(runtime.callEndpoint(token, 'orders'));
    expect(error.code).toBe('ENDPOINT_REQUEST_FAILED');
    expect(error.details['reason']).toBe('response_too_large');
  });

  it('fails with TIMEOUT when the endpoint answers later than timeoutSeconds', async () => {
    server.handle = (_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      }, 1500);
    };
    const connector = acmeConnector(server.url, {
      endpoints: [endpoint('slow', `${server.url}/slow`, ['acme-token'], { timeoutSeconds: 0.2 })],
    });
    const { runtime, token } = await setup(connector);
    const error = await rejection(runtime.callEndpoint(token, 'slow'));
    expect(error.code).toBe('TIMEOUT');
    expect(server.requests).toHaveLength(1);
  });

  it('variables of an endpoint are part of what listEndpoints returns', async () => {
    const connector = acmeConnector(server.url, {
      endpoints: [
        endpoint('e', `${server.url}/e`, ['acme-token'], {
          variables: [variable('since', { required: true, label: 'Since' })],
        }),
      ],
    });
    const { runtime, token } = await setup(connector);
    const [listed] = await runtime.listEndpoints(token);
    expect(listed?.variables).toEqual([expect.objectContaining({ key: 'since', label: 'Since' })]);
  });
});

describe('callEndpoint safety and network failures', () => {
  it('refuses a value with a line break in a header with TEMPLATE_UNSAFE_VALUE, sending nothing', async () => {
    const connector = acmeConnector(server.url, {
      variables: [variable('account', { required: true, perCall: true })],
      endpoints: [
        endpoint('h', `${server.url}/h`, ['acme-token'], {
          request: { query: {}, headers: { 'X-Account': '{{account}}' }, body: {} },
        }),
      ],
    });
    const { runtime, token } = await setup(connector);
    const error = await rejection(
      runtime.callEndpoint(token, 'h', { variables: { account: 'a\r\nX-Evil: 1' } }),
    );
    expect(error.code).toBe('TEMPLATE_UNSAFE_VALUE');
    expect(server.requests).toHaveLength(0);
  });

  it('retries a POST whose connection was refused (nothing was sent), then fails with ENDPOINT_REQUEST_FAILED', async () => {
    const closed = await startTestServer();
    const url = closed.url;
    await closed.close();
    const logger = recordingLogger();
    const connector = acmeConnector(url, {
      endpoints: [endpoint('post', `${url}/orders`, ['acme-token'], { method: 'POST' })],
    });
    runtime = createRuntime({
      connectors: [connector],
      strategies: [testTokenStrategy(), testOAuthStrategy()],
      logger,
      retry: { retries: 2, minDelayMs: 1 },
    });
    const token = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'T',
      variables: { account: 'eu', api_key: 'key-abcd' },
    });
    const error = await rejection(runtime.callEndpoint(token, 'post', { body: { a: 1 } }));
    expect(error.code).toBe('ENDPOINT_REQUEST_FAILED');
    expect(error.details).toMatchObject({ sent: false, errorCode: 'ECONNREFUSED' });
    expect(logger.lines.filter((l) => l.message === 'Retrying endpoint request')).toHaveLength(2);
  });
});

describe('the default dispatcher', () => {
  it('opens at most DEFAULT_CONNECTIONS_PER_ORIGIN sockets to an origin; later calls wait for one and succeed', async () => {
    // Every answer is held until as many requests as the bound are open at once: then all go.
    const limit = DEFAULT_CONNECTIONS_PER_ORIGIN;
    let sockets = 0;
    let held: ServerResponse[] | undefined = [];
    const answer = (res: ServerResponse) => res.end('{}');
    const busy = createServer((req, res) => {
      req.resume();
      if (held === undefined) return answer(res);
      held.push(res);
      if (held.length === limit) {
        const waiting = held;
        held = undefined;
        for (const r of waiting) answer(r);
      }
    });
    busy.on('connection', () => sockets++);
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(busy.address() as AddressInfo).port}`;
    runtime = createRuntime({
      connectors: [acmeConnector(url)],
      strategies: [testTokenStrategy(), testOAuthStrategy()],
    });
    const token = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'T',
      variables: { account: 'eu', api_key: 'key-abcd' },
    });
    const results = await Promise.all(
      Array.from({ length: limit + 36 }, () => runtime!.callEndpoint(token, 'orders')),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(sockets).toBe(limit);
    await runtime.close();
    runtime = undefined;
    await new Promise((resolve) => busy.close(resolve));
  });
});
