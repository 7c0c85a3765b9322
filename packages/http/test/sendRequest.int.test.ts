import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { SpliceError } from '@splice/core';
import { Agent, interceptors } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Exchange, sendRequest } from '../src/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

// A loopback server whose answer each test sets.
async function listen(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const exchange = (maxBytes = 1000): Exchange => ({
  failure: 'ENDPOINT_REQUEST_FAILED',
  subject: 'The endpoint request',
  maxBytes,
});

async function rejection(promise: Promise<unknown>): Promise<SpliceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SpliceError.is(error)) throw new Error(`expected a SpliceError, got ${String(error)}`);
  return error;
}

describe('sendRequest', () => {
  const agent = new Agent();
  let handler: Handler = (_req, res) => res.end('ok');
  let api: { url: string; server: Server };
  beforeAll(async () => {
    api = await listen((req, res) => handler(req, res));
  });
  afterAll(async () => {
    await agent.close();
    await new Promise((resolve) => api.server.close(resolve));
  });

  it('reports a refused connection with sent: false', async () => {
    const closed = createTcpServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const error = await rejection(
      sendRequest(
        agent,
        { origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET' },
        exchange(),
      ),
    );
    expect(error.code).toBe('ENDPOINT_REQUEST_FAILED');
    expect(error.details).toMatchObject({
      reason: 'network',
      sent: false,
      errorCode: 'ECONNREFUSED',
    });
  });

  it('reports a connection reset after sending with sent: true, under the caller’s code', async () => {
    handler = (_req, res) => res.socket?.destroy();
    const error = await rejection(
      sendRequest(
        agent,
        { origin: api.url, path: '/', method: 'POST', body: 'x' },
        { ...exchange(), failure: 'TOKEN_REQUEST_FAILED', subject: 'Token request' },
      ),
    );
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.message).toMatch(/^Token request failed/);
    expect(error.details['sent']).toBe(true);
  });

  it('maps undici header timeouts to TIMEOUT', async () => {
    handler = (_req, res) => {
      setTimeout(() => res.end('late'), 1000);
    };
    const error = await rejection(
      sendRequest(
        agent,
        { origin: api.url, path: '/', method: 'GET', headersTimeout: 100, bodyTimeout: 100 },
        exchange(),
      ),
    );
    expect(error.code).toBe('TIMEOUT');
  });

  it('reads a chunked body within the bound and refuses one beyond it', async () => {
    handler = (_req, res) => {
      res.write('a'.repeat(600));
      res.end('b'.repeat(600));
    };
    const ok = await sendRequest(
      agent,
      { origin: api.url, path: '/', method: 'GET' },
      exchange(2000),
    );
    expect(ok.body).toHaveLength(1200);
    const error = await rejection(
      sendRequest(agent, { origin: api.url, path: '/', method: 'GET' }, exchange(1000)),
    );
    expect(error.details['reason']).toBe('response_too_large');
  });

  it('refuses a declared Content-Length beyond the bound without reading it', async () => {
    handler = (_req, res) => {
      res.setHeader('content-length', '5000');
      res.end('x'.repeat(5000));
    };
    const error = await rejection(
      sendRequest(agent, { origin: api.url, path: '/', method: 'GET' }, exchange(1000)),
    );
    expect(error.details).toMatchObject({ reason: 'response_too_large', maxResponseBytes: 1000 });
  });

  it('never follows a redirect, even through a dispatcher that does', async () => {
    const elsewhere = await listen((_req, res) => res.end('followed'));
    let reached = 0;
    const target = await listen((_req, res) => {
      reached++;
      res.end('followed');
    });
    handler = (_req, res) => {
      res.statusCode = 307;
      res.setHeader('location', `${target.url}/steal`);
      res.end();
    };
    const following = new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));
    const response = await sendRequest(
      following,
      { origin: api.url, path: '/token', method: 'POST', body: 'client_secret=s3cret' },
      exchange(),
    );
    expect(response.status).toBe(307);
    expect(reached).toBe(0);
    await following.close();
    await new Promise((resolve) => elsewhere.server.close(resolve));
    await new Promise((resolve) => target.server.close(resolve));
  });

  it('rejects with the signal’s reason, sending nothing, when the signal is already aborted', async () => {
    let reached = 0;
    handler = (_req, res) => {
      reached++;
      res.end('ok');
    };
    const signal = AbortSignal.abort();
    const error = await sendRequest(
      agent,
      { origin: api.url, path: '/', method: 'GET', signal },
      exchange(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBe(signal.reason);
    expect((error as Error).name).toBe('AbortError');
    expect(reached).toBe(0);
  });

  it('rejects with the signal’s reason when it aborts while the answer streams', async () => {
    const controller = new AbortController();
    handler = (_req, res) => {
      res.write('first part');
      // The rest never comes: only the caller's abort ends the exchange.
      setImmediate(() => controller.abort());
    };
    const error = await sendRequest(
      agent,
      { origin: api.url, path: '/', method: 'GET', signal: controller.signal },
      exchange(),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBe(controller.signal.reason);
    expect((error as Error).name).toBe('AbortError');
  });

  it('returns the final answer after a 1xx, with repeated headers as arrays', async () => {
    handler = (_req, res) => {
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    };
    const response = await sendRequest(
      agent,
      { origin: api.url, path: '/', method: 'GET' },
      exchange(),
    );
    expect(response.status).toBe(200);
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.body).toBe('{"ok":true}');
  });

  it('drops a leading UTF-8 BOM of a body with a Content-Length, keeps a chunked one as sent', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const text = Buffer.from('{"a":"é"}');
    handler = (_req, res) => {
      res.setHeader('content-length', String(bom.length + text.length));
      res.end(Buffer.concat([bom, text]));
    };
    const declared = await sendRequest(
      agent,
      { origin: api.url, path: '/', method: 'GET' },
      exchange(),
    );
    expect(declared.body).toBe('{"a":"é"}');
    handler = (_req, res) => {
      res.write(bom);
      res.end(text);
    };
    const chunked = await sendRequest(
      agent,
      { origin: api.url, path: '/', method: 'GET' },
      exchange(),
    );
    expect(chunked.body).toBe('\ufeff{"a":"é"}');
  });

  it('answers a HEAD request with an empty body whatever its Content-Length', async () => {
    handler = (_req, res) => {
      res.setHeader('content-length', '5000');
      res.end();
    };
    const response = await sendRequest(
      agent,
      { origin: api.url, path: '/', method: 'HEAD' },
      exchange(),
    );
    expect(response).toMatchObject({ status: 200, body: '' });
    expect(response.headers['content-length']).toBe('5000');
  });
});
