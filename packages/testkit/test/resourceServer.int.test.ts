import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type ResourceServer, startResourceServer } from '../src/index.js';

let api: ResourceServer | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

async function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  const response = await request(url, { headers });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text === '' ? undefined : JSON.parse(text),
  };
}

describe('startResourceServer', () => {
  it('lets a verified bearer token in and echoes the request with the credential redacted', async () => {
    api = await startResourceServer({ verify: (token) => token === 'good-token' });
    const ok = await get(`${api.url}/things?x=1`, {
      authorization: 'Bearer good-token',
      'x-trace': 't1',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      method: 'GET',
      path: '/things',
      query: { x: '1' },
      headers: { authorization: '[redacted]', 'x-trace': 't1' },
      credential: 'bearer',
    });
    expect(JSON.stringify(ok.body)).not.toContain('good-token');
    // The record keeps what was sent, for assertions.
    expect(api.requests[0]).toMatchObject({
      target: '/things?x=1',
      accepted: true,
      credential: 'bearer',
      headers: { authorization: 'Bearer good-token' },
    });
  });

  it('refuses a bad token with invalid_token, and a request without one with no error code (RFC 6750 §3.1)', async () => {
    api = await startResourceServer({ verify: (token) => token === 'good-token' });
    const bad = await get(`${api.url}/things`, { authorization: 'Bearer stale-token' });
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toContain('error="invalid_token"');
    const none = await get(`${api.url}/things`);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).not.toContain('error=');
    expect(api.counts).toEqual({ requests: 2, accepted: 0, rejected: 2 });
    expect(api.requests.map((r) => r.accepted)).toEqual([false, false]);
    expect([...api.credentialsSeen]).toEqual(['stale-token']);
  });

  it('answers refusals with rejectStatus, and treats a throwing verify as a refusal', async () => {
    api = await startResourceServer({
      verify: () => {
        throw new Error('verifier down');
      },
      rejectStatus: 403,
    });
    expect((await get(`${api.url}/x`, { authorization: 'Bearer t' })).status).toBe(403);
  });

  it('takes API keys in a header or a query parameter, by value list or by check', async () => {
    api = await startResourceServer({
      verify: (token) => token === 'bearer-1',
      keys: [
        { name: 'token', header: 'X-Acme-Token', accept: ['acme_key_1'] },
        { name: 'query-key', query: 'api_key', accept: (value) => value.startsWith('qk_') },
      ],
    });
    const byHeader = await get(`${api.url}/a`, { 'x-acme-token': 'acme_key_1' });
    expect(byHeader.body).toMatchObject({
      credential: 'token',
      headers: { 'x-acme-token': '[redacted]' },
    });
    const byQuery = await get(`${api.url}/a?api_key=qk_123&x=1`);
    expect(byQuery.body).toMatchObject({
      credential: 'query-key',
      query: { api_key: '[redacted]', x: '1' },
    });
    expect((await get(`${api.url}/a`, { authorization: 'Bearer bearer-1' })).body).toMatchObject({
      credential: 'bearer',
    });
    const wrong = await get(`${api.url}/a`, { 'x-acme-token': 'acme_key_2' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(api.credentialsSeen).toEqual(
      new Set(['acme_key_1', 'qk_123', 'bearer-1', 'acme_key_2']),
    );
  });

  it('answers by route with path parameters, a wildcard, and 404 for the rest', async () => {
    api = await startResourceServer({
      keys: [{ name: 'token', header: 'x-api-key', accept: ['k-123456'] }],
      routes: {
        'GET /:account/products/:id': ({ params }) => ({ body: { ...params } }),
        'POST /:account/orders': ({ params, body, credential }) => ({
          status: 201,
          body: { account: params['account'], sent: body, credential },
        }),
        '* /files/*': ({ method, path }) => ({ body: { method, path } }),
      },
    });
    const key = { 'x-api-key': 'k-123456' };
    expect((await get(`${api.url}/northwind/products/p%2F1`, key)).body).toEqual({
      account: 'northwind',
      id: 'p/1',
    });
    const created = await request(`${api.url}/northwind/orders`, {
      method: 'POST',
      headers: { ...key, 'content-type': 'application/json' },
      body: '{"product":"p-1"}',
    });
    expect(created.statusCode).toBe(201);
    expect(await created.body.json()).toEqual({
      account: 'northwind',
      sent: { product: 'p-1' },
      credential: 'token',
    });
    expect((await get(`${api.url}/files/a/b`, key)).body).toEqual({
      method: 'GET',
      path: '/files/a/b',
    });
    const missing = await get(`${api.url}/northwind/products`, key);
    expect(missing).toMatchObject({ status: 404, body: { error: 'not_found' } });
    // A refused request never reaches a route.
    expect((await get(`${api.url}/northwind/products/p-1`)).status).toBe(401);
  });

  it('without verify or keys lets every request in; a route can write the response itself and be replaced', async () => {
    api = await startResourceServer();
    expect((await get(`${api.url}/open`)).body).toMatchObject({ path: '/open' });
    expect(api.requests[0]?.credential).toBeUndefined();
    api.route('* /*', (_request, response) => {
      response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      return undefined;
    });
    const redirected = await get(`${api.url}/moved`);
    expect(redirected.status).toBe(302);
    expect(redirected.headers['location']).toBe('http://127.0.0.1:1/elsewhere');
    api.route('* /*', ({ text }) => ({ status: 202, body: { text } }));
    const replaced = await request(`${api.url}/x`, { method: 'PUT', body: 'a=x+y' });
    expect(replaced.statusCode).toBe(202);
    expect(await replaced.body.json()).toEqual({ text: 'a=x+y' });
    api.reset();
    expect(api.requests).toHaveLength(0);
    expect(api.counts).toEqual({ requests: 0, accepted: 0, rejected: 0 });
  });

  it('refuses a malformed route pattern at once', async () => {
    await expect(startResourceServer({ routes: { '/no-method': () => ({}) } })).rejects.toThrow(
      TypeError,
    );
  });
});
