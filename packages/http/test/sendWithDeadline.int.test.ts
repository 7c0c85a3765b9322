import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpliceError } from '@splice/core';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RetryPolicy, sendWithDeadline } from '../src/index.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const retry: RetryPolicy = { retries: 2, minDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1000 };

describe('sendWithDeadline', () => {
  const agent = new Agent();
  let handler: Handler = (_req, res) => res.end('ok');
  let server: Server;
  let origin = '';
  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await agent.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const send = (timeoutMs: number, seen: string[]) =>
    sendWithDeadline({
      dispatcher: agent,
      request: (attempt) => ({
        origin,
        path: '/token',
        method: 'POST',
        headers: { 'x-attempt': String(attempt) },
        body: 'grant_type=x',
      }),
      exchange: {
        failure: 'TOKEN_REQUEST_FAILED',
        subject: 'Token request to the test server',
        maxBytes: 1000,
        details: { connectorId: 'acme' },
      },
      retry,
      idempotent: true,
      timeoutMs,
      now: Date.now,
      onRetry: ({ attempt, status }) => seen.push(`${attempt}:${status}`),
    });

  it('builds each attempt afresh and returns the answer after retried 503s, with the attempts', async () => {
    const heard: string[] = [];
    handler = (req, res) => {
      heard.push(String(req.headers['x-attempt']));
      res.statusCode = heard.length < 3 ? 503 : 200;
      res.end(heard.length < 3 ? 'busy' : 'fine');
    };
    const seen: string[] = [];
    const { response, attempts } = await send(10_000, seen);
    expect([response.status, response.body, attempts]).toEqual([200, 'fine', 3]);
    expect(heard).toEqual(['1', '2', '3']);
    expect(seen).toEqual(['1:503', '2:503']);
  });

  it('clears its deadline once a request has settled, answered or failed', async () => {
    const set = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearTimeout');
    try {
      handler = (_req, res) => res.end('fine');
      await send(60_000, []);
      handler = (_req, res) => res.end('x'.repeat(5000));
      await send(60_000, []).catch(() => undefined);
      const deadlines = set.mock.calls.flatMap((call, i) =>
        call[1] === 60_000 ? [set.mock.results[i]!.value] : [],
      );
      expect(deadlines).toHaveLength(2);
      for (const timer of deadlines) expect(cleared).toHaveBeenCalledWith(timer);
    } finally {
      set.mockRestore();
      cleared.mockRestore();
    }
  });

  it('is TIMEOUT with the attempts and the details when the whole operation outlasts the deadline', async () => {
    handler = () => {}; // never answers
    const error = await send(200, []).catch((e: unknown) => e);
    expect(SpliceError.is(error, 'TIMEOUT')).toBe(true);
    expect((error as SpliceError).details).toMatchObject({
      connectorId: 'acme',
      attempts: 1,
      timeoutMs: 200,
    });
    expect((error as SpliceError).message).toContain('Token request to the test server');
  });

  it('adds the attempt count to the failure code of an answer that is too large', async () => {
    handler = (_req, res) => res.end('x'.repeat(5000));
    const error = await send(10_000, []).catch((e: unknown) => e);
    expect(SpliceError.is(error, 'TOKEN_REQUEST_FAILED')).toBe(true);
    expect((error as SpliceError).details).toMatchObject({
      reason: 'response_too_large',
      attempts: 1,
    });
    expect((error as SpliceError).message).toMatch(/\(1 attempt\(s\)\)$/);
  });
});
