import { createServer, type Server } from 'node:net';
import type { Credentials, InstanceContext } from '@splice/core';
import { noopLogger, SpliceError } from '@splice/core';
import Bottleneck from 'bottleneck';
import { Agent } from 'undici';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { CallTarget, EndpointCall, EndpointResponse, Send } from '../src/index.js';
import {
  createAuthLayer,
  createRateLimitLayer,
  createRetryLayer,
  createTransport,
  limiterOptions,
  retryAfterMs,
} from '../src/index.js';
import { recordingLogger, rejection, startTestServer } from './support/fixtures.js';

const POLICY = { retries: 2, minDelayMs: 100, maxDelayMs: 30_000 };

function fakeCall(idempotent: boolean, target: Partial<CallTarget> = {}): EndpointCall {
  return {
    target: { idempotent, ...target } as CallTarget,
    input: {},
    signal: undefined,
    attempts: 0,
    refreshed: false,
  };
}

function answers(...items: (number | Error | EndpointResponse)[]): Send & { calls: number } {
  const send = Object.assign(
    async (): Promise<EndpointResponse> => {
      const item = items[Math.min(send.calls, items.length - 1)]!;
      send.calls++;
      if (item instanceof Error) throw item;
      return typeof item === 'number' ? { status: item, headers: {}, body: '' } : item;
    },
    { calls: 0 },
  );
  return send;
}

function requestFailed(sent: boolean): SpliceError {
  return new SpliceError('ENDPOINT_REQUEST_FAILED', 'failed', {
    details: { sent, errorCode: sent ? 'ECONNRESET' : 'ECONNREFUSED' },
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('retry layer', () => {
  it('retries 5xx for an idempotent method and returns the first success', async () => {
    const next = answers(503, 502, 200);
    const call = fakeCall(true);
    const response = await createRetryLayer(
      next,
      { ...POLICY, minDelayMs: 1 },
      Date.now,
      noopLogger,
    )(call);
    expect(response.status).toBe(200);
    expect(next.calls).toBe(3);
    expect(call.attempts).toBe(3);
  });

  it('never retries a 5xx or 429 of a non-idempotent method', async () => {
    for (const status of [500, 503, 429]) {
      const next = answers(status, 200);
      const response = await createRetryLayer(next, POLICY, Date.now, noopLogger)(fakeCall(false));
      expect(response.status).toBe(status);
      expect(next.calls).toBe(1);
    }
  });

  it('retries any method when the request never reached the server', async () => {
    const next = answers(requestFailed(false), 201);
    const response = await createRetryLayer(
      next,
      { ...POLICY, minDelayMs: 1 },
      Date.now,
      noopLogger,
    )(fakeCall(false));
    expect(response.status).toBe(201);
    expect(next.calls).toBe(2);
  });

  it('retries a failure after sending only for idempotent methods', async () => {
    const post = answers(requestFailed(true), 200);
    const error = await rejection(
      createRetryLayer(post, { ...POLICY, minDelayMs: 1 }, Date.now, noopLogger)(fakeCall(false)),
    );
    expect(error.code).toBe('ENDPOINT_REQUEST_FAILED');
    expect(post.calls).toBe(1);
    const get = answers(requestFailed(true), 200);
    await createRetryLayer(get, { ...POLICY, minDelayMs: 1 }, Date.now, noopLogger)(fakeCall(true));
    expect(get.calls).toBe(2);
  });

  it('does not retry 4xx answers, timeouts or other errors', async () => {
    const notFound = answers(404, 200);
    expect(
      (await createRetryLayer(notFound, POLICY, Date.now, noopLogger)(fakeCall(true))).status,
    ).toBe(404);
    expect(notFound.calls).toBe(1);
    const timeout = answers(new SpliceError('TIMEOUT', 'slow'), 200);
    await expect(
      createRetryLayer(timeout, POLICY, Date.now, noopLogger)(fakeCall(true)),
    ).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    expect(timeout.calls).toBe(1);
  });

  it('is bounded: after retries + 1 attempts it returns the last answer', async () => {
    const next = answers(503);
    const call = fakeCall(true);
    const response = await createRetryLayer(
      next,
      { ...POLICY, minDelayMs: 1 },
      Date.now,
      noopLogger,
    )(call);
    expect(response.status).toBe(503);
    expect(next.calls).toBe(3);
    expect(call.attempts).toBe(3);
  });

  it('waits exactly what Retry-After (seconds) asks before the next attempt', async () => {
    vi.useFakeTimers();
    const next = answers({ status: 429, headers: { 'retry-after': '2' }, body: '' }, 200);
    const pending = createRetryLayer(next, POLICY, Date.now, noopLogger)(fakeCall(true));
    await vi.advanceTimersByTimeAsync(1999);
    expect(next.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
    expect(next.calls).toBe(2);
  });

  it('honours a Retry-After HTTP-date', async () => {
    vi.useFakeTimers();
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const date = new Date(now + 3000).toUTCString();
    const next = answers({ status: 503, headers: { 'retry-after': date }, body: '' }, 200);
    const pending = createRetryLayer(next, POLICY, () => now, noopLogger)(fakeCall(true));
    await vi.advanceTimersByTimeAsync(2999);
    expect(next.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(next.calls).toBe(2);
  });

  it('does not wait for a Retry-After longer than maxDelayMs: the answer is final at once', async () => {
    const next = answers({ status: 503, headers: { 'retry-after': '3600' }, body: '' }, 200);
    const response = await createRetryLayer(next, POLICY, Date.now, noopLogger)(fakeCall(true));
    expect(response.status).toBe(503);
    expect(next.calls).toBe(1);
  });

  it('backs off exponentially with jitter between half and the full delay', async () => {
    vi.useFakeTimers();
    const logger = recordingLogger();
    const next = answers(503);
    const pending = createRetryLayer(
      next,
      { retries: 3, minDelayMs: 100, maxDelayMs: 30_000 },
      Date.now,
      logger,
    )(fakeCall(true));
    await vi.advanceTimersByTimeAsync(10_000);
    await pending;
    const delays = logger.lines.map((l) => l.fields?.['delayMs'] as number);
    expect(delays).toHaveLength(3);
    [100, 200, 400].forEach((base, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(base / 2);
      expect(delays[i]).toBeLessThanOrEqual(base);
    });
  });

  it('stops waiting when the caller aborts', async () => {
    const controller = new AbortController();
    const next = answers({ status: 503, headers: { 'retry-after': '20' }, body: '' });
    const call = { ...fakeCall(true), signal: controller.signal };
    const pending = createRetryLayer(next, POLICY, Date.now, noopLogger)(call);
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(pending).rejects.toThrow('stop');
    expect(next.calls).toBe(1);
  });

  it('with retries 0 makes exactly one attempt', async () => {
    const next = answers(503, 200);
    const response = await createRetryLayer(
      next,
      { ...POLICY, retries: 0 },
      Date.now,
      noopLogger,
    )(fakeCall(true));
    expect(response.status).toBe(503);
    expect(next.calls).toBe(1);
  });
});

describe('retryAfterMs', () => {
  it('reads delay-seconds and HTTP-dates, ignores garbage', () => {
    expect(retryAfterMs('120', 0)).toBe(120_000);
    expect(retryAfterMs(['5'], 0)).toBe(5000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 4000)).toBe(6000);
    expect(retryAfterMs('Thu, 01 Jan 1970 00:00:10 GMT', 20_000)).toBe(0);
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs(undefined, 0)).toBeUndefined();
  });
});

describe('auth layer', () => {
  function oauthTarget(refresh: (rejected: Credentials) => Promise<Credentials>) {
    const first: Credentials = { values: { access_token: 'old' }, obtainedAt: 0 };
    const target = {
      idempotent: true,
      context: { instance: { id: 'i1' } } as unknown as InstanceContext,
      strategy: {
        type: 't',
        interactive: false,
        variables: [],
        apply: { headers: {}, query: {} },
        getCredentials: async () => first,
        isExpiredResponse: (_ctx: InstanceContext, r: { status: number }) => r.status === 401,
        refresh: vi.fn(async (_ctx: InstanceContext, rejected: Credentials) => refresh(rejected)),
      },
      prepare: (credentials: Credentials) => ({
        origin: 'http://127.0.0.1',
        path: '/',
        method: 'GET' as const,
        headers: { authorization: `Bearer ${credentials.values['access_token']}` },
      }),
    };
    return { target, first };
  }

  it('refreshes once on an expired-token answer and replays once with the new credential', async () => {
    const seen: string[] = [];
    const { target, first } = oauthTarget(async () => ({
      values: { access_token: 'new' },
      obtainedAt: 1,
    }));
    const send = createAuthLayer(async (request) => {
      const auth = (request.headers as Record<string, string>)['authorization']!;
      seen.push(auth);
      return { status: auth === 'Bearer new' ? 200 : 401, headers: {}, body: '' };
    }, noopLogger);
    const call = fakeCall(true, target);
    expect((await send(call)).status).toBe(200);
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
    expect(target.strategy.refresh).toHaveBeenCalledTimes(1);
    expect(target.strategy.refresh.mock.calls[0]?.[1]).toBe(first);
    expect(call.refreshed).toBe(true);
  });

  it('never loops: when the refreshed credential is rejected too, that answer is final', async () => {
    const { target } = oauthTarget(async () => ({
      values: { access_token: 'also-bad' },
      obtainedAt: 1,
    }));
    let requests = 0;
    const send = createAuthLayer(async () => {
      requests++;
      return { status: 401, headers: {}, body: '' };
    }, noopLogger);
    const call = fakeCall(true, target);
    expect((await send(call)).status).toBe(401);
    expect(requests).toBe(2);
    expect(target.strategy.refresh).toHaveBeenCalledTimes(1);
    // A retry of the same call (the retry layer calls again) does not refresh a second time.
    expect((await send(call)).status).toBe(401);
    expect(target.strategy.refresh).toHaveBeenCalledTimes(1);
    expect(requests).toBe(3);
  });

  it('leaves other failures alone', async () => {
    const { target } = oauthTarget(async () => ({ values: {}, obtainedAt: 1 }));
    const send = createAuthLayer(async () => ({ status: 403, headers: {}, body: '' }), noopLogger);
    expect((await send(fakeCall(true, target))).status).toBe(403);
    expect(target.strategy.refresh).not.toHaveBeenCalled();
  });
});

describe('rate-limit layer', () => {
  it('derives spacing per second and a refilled reservoir for longer units', () => {
    expect(limiterOptions({ amount: 5, unit: 'second' })).toEqual({ minTime: 200 });
    expect(limiterOptions({ amount: 100, unit: 'hour' })).toEqual({
      reservoir: 100,
      reservoirRefreshAmount: 100,
      reservoirRefreshInterval: 3_600_000,
    });
  });

  it('queues calls over the limit instead of dropping them', async () => {
    const limiter = new Bottleneck({
      reservoir: 2,
      reservoirRefreshAmount: 2,
      reservoirRefreshInterval: 50,
    });
    const next = answers(200);
    const send = createRateLimitLayer(next, limiter);
    const results = await Promise.all(Array.from({ length: 6 }, () => send(fakeCall(true))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(next.calls).toBe(6);
    await limiter.disconnect();
  });
});

describe('rate-limit layer and aborts', () => {
  it('rejects a queued call at once when its signal aborts, and never sends it', async () => {
    const limiter = new Bottleneck({ minTime: 60_000 });
    const next = answers(200);
    const send = createRateLimitLayer(next, limiter);
    expect((await send(fakeCall(true))).status).toBe(200);
    const controller = new AbortController();
    const queued = send({ ...fakeCall(true), signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(queued).rejects.toThrow('caller gave up');
    expect(next.calls).toBe(1);
    await limiter.stop({ dropWaitingJobs: true });
  });
});

describe('transport layer', () => {
  const agent = new Agent();
  afterAll(() => agent.close());

  it('reports a refused connection as ENDPOINT_REQUEST_FAILED with sent: false', async () => {
    const closed: Server = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const { port } = closed.address() as { port: number };
    await new Promise<void>((r) => closed.close(() => r()));
    const error = await rejection(
      createTransport(
        agent,
        1000,
      )({ origin: `http://127.0.0.1:${port}`, path: '/', method: 'GET' }),
    );
    expect(error.code).toBe('ENDPOINT_REQUEST_FAILED');
    expect(error.details).toMatchObject({ sent: false, errorCode: 'ECONNREFUSED' });
  });

  it('reports a connection reset after sending as ENDPOINT_REQUEST_FAILED with sent: true', async () => {
    const server = await startTestServer();
    server.handle = (_req, res) => res.socket?.destroy();
    const error = await rejection(
      createTransport(agent, 1000)({ origin: server.url, path: '/', method: 'POST', body: 'x' }),
    );
    expect(error.code).toBe('ENDPOINT_REQUEST_FAILED');
    expect(error.details['sent']).toBe(true);
    await server.close();
  });

  it('maps undici header timeouts to TIMEOUT', async () => {
    const server = await startTestServer();
    server.handle = (_req, res) => setTimeout(() => res.end('late'), 1000);
    const error = await rejection(
      createTransport(
        agent,
        1000,
      )({
        origin: server.url,
        path: '/',
        method: 'GET',
        headersTimeout: 100,
        bodyTimeout: 100,
      }),
    );
    expect(error.code).toBe('TIMEOUT');
    await server.close();
  });

  it('reads a chunked body within the bound and refuses one beyond it', async () => {
    const server = await startTestServer();
    server.handle = (_req, res) => {
      res.write('a'.repeat(600));
      res.end('b'.repeat(600));
    };
    const ok = await createTransport(agent, 2000)({ origin: server.url, path: '/', method: 'GET' });
    expect(ok.body).toHaveLength(1200);
    const error = await rejection(
      createTransport(agent, 1000)({ origin: server.url, path: '/', method: 'GET' }),
    );
    expect(error.details['reason']).toBe('response_too_large');
    await server.close();
  });
});
