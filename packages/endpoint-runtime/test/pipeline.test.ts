import type { Credentials, InstanceContext } from '@splice/core';
import { noopLogger } from '@splice/core';
import type { HttpResponse } from '@splice/http';
import Bottleneck from 'bottleneck';
import { describe, expect, it, vi } from 'vitest';
import type { EndpointCall, Layer, Send } from '../src/index.js';
import {
  composePipeline,
  createAuthLayer,
  createRateLimitLayer,
  createRetryLayer,
  limiterOptions,
} from '../src/index.js';

const POLICY = { retries: 2, minDelayMs: 1, maxDelayMs: 30_000, maxRetryAfterMs: 30_000 };

function fakeCall(idempotent: boolean, extra: Partial<EndpointCall> = {}): EndpointCall {
  return {
    ids: { connectorId: 'c', authMethodId: 'm', instanceId: 'i1', endpointId: 'e' },
    strategy: undefined as never,
    context: undefined as never,
    idempotent,
    signal: undefined,
    attempts: 0,
    refreshed: false,
    credentials: undefined,
    rejected: undefined,
    request: undefined,
    prepare: () => ({ origin: 'http://127.0.0.1', path: '/', method: 'GET' }),
    ...extra,
  };
}

function answers(...items: (number | HttpResponse)[]): Send & { calls: number } {
  const send = Object.assign(
    async (): Promise<HttpResponse> => {
      const item = items[Math.min(send.calls, items.length - 1)]!;
      send.calls++;
      return typeof item === 'number' ? { status: item, headers: {}, body: '' } : item;
    },
    { calls: 0 },
  );
  return send;
}

describe('composePipeline', () => {
  it('runs the layers outermost first, over the transport', async () => {
    const order: string[] = [];
    const named =
      (name: string): Layer =>
      (next) =>
      async (call) => {
        order.push(`${name}>`);
        const response = await next(call);
        order.push(`<${name}`);
        return response;
      };
    const send = composePipeline([named('a'), named('b')], async () => {
      order.push('transport');
      return { status: 200, headers: {}, body: '' };
    });
    await send(fakeCall(true));
    expect(order).toEqual(['a>', 'b>', 'transport', '<b', '<a']);
  });
});

describe('retry layer', () => {
  it('counts every attempt on the call and retries by the call’s idempotence', async () => {
    const get = answers(503, 200);
    const getCall = fakeCall(true);
    expect((await createRetryLayer(POLICY, Date.now, noopLogger)(get)(getCall)).status).toBe(200);
    expect(getCall.attempts).toBe(2);
    const post = answers(503, 200);
    const postCall = fakeCall(false);
    expect((await createRetryLayer(POLICY, Date.now, noopLogger)(post)(postCall)).status).toBe(503);
    expect(postCall.attempts).toBe(1);
  });
});

describe('auth layer', () => {
  function oauthCall(refresh: (rejected: Credentials) => Promise<Credentials>) {
    const first: Credentials = { values: { access_token: 'old' }, obtainedAt: 0 };
    const strategy = {
      type: 't',
      interactive: false,
      variables: [],
      apply: { headers: {}, query: {} },
      getCredentials: async () => first,
      isExpiredResponse: (_ctx: InstanceContext, r: { status: number }) => r.status === 401,
      refresh: vi.fn(async (_ctx: InstanceContext, rejected: Credentials) => refresh(rejected)),
    };
    const call = fakeCall(true, {
      strategy,
      context: { instance: { id: 'i1' } } as unknown as InstanceContext,
      prepare: (credentials: Credentials) => ({
        origin: 'http://127.0.0.1',
        path: '/',
        method: 'GET' as const,
        headers: { authorization: `Bearer ${credentials.values['access_token']}` },
      }),
    });
    return { call, strategy, first };
  }

  const sentAuthorization = (call: EndpointCall): string =>
    (call.request!.headers as Record<string, string>)['authorization']!;

  it('refreshes once on an expired-token answer and replays once with the new credential', async () => {
    const seen: string[] = [];
    const fresh: Credentials = { values: { access_token: 'new' }, obtainedAt: 1 };
    const { call, strategy, first } = oauthCall(async () => fresh);
    const send = createAuthLayer(noopLogger)(async (c) => {
      seen.push(sentAuthorization(c));
      return { status: sentAuthorization(c) === 'Bearer new' ? 200 : 401, headers: {}, body: '' };
    });
    expect((await send(call)).status).toBe(200);
    expect(seen).toEqual(['Bearer old', 'Bearer new']);
    expect(strategy.refresh).toHaveBeenCalledTimes(1);
    expect(strategy.refresh.mock.calls[0]?.[1]).toBe(first);
    expect(call.refreshed).toBe(true);
    // The call carries what it sent: the new credentials, and the replaced ones for scrubbing.
    expect(call.credentials).toBe(fresh);
    expect(call.rejected).toBe(first);
  });

  it('never loops: when the refreshed credential is rejected too, that answer is final', async () => {
    const { call, strategy } = oauthCall(async () => ({
      values: { access_token: 'also-bad' },
      obtainedAt: 1,
    }));
    const next = answers(401);
    const send = createAuthLayer(noopLogger)(next);
    expect((await send(call)).status).toBe(401);
    expect(next.calls).toBe(2);
    expect(strategy.refresh).toHaveBeenCalledTimes(1);
    // A retry of the same call (the retry layer calls again) does not refresh a second time.
    expect((await send(call)).status).toBe(401);
    expect(strategy.refresh).toHaveBeenCalledTimes(1);
    expect(next.calls).toBe(3);
  });

  it('leaves other failures alone', async () => {
    const { call, strategy } = oauthCall(async () => ({ values: {}, obtainedAt: 1 }));
    const send = createAuthLayer(noopLogger)(answers(403));
    expect((await send(call)).status).toBe(403);
    expect(strategy.refresh).not.toHaveBeenCalled();
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
    const send = createRateLimitLayer(limiter)(next);
    const results = await Promise.all(Array.from({ length: 6 }, () => send(fakeCall(true))));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(next.calls).toBe(6);
    await limiter.disconnect();
  });

  it('rejects a queued call at once when its signal aborts, and never sends it', async () => {
    const limiter = new Bottleneck({ minTime: 60_000 });
    const next = answers(200);
    const send = createRateLimitLayer(limiter)(next);
    expect((await send(fakeCall(true))).status).toBe(200);
    const controller = new AbortController();
    const queued = send(fakeCall(true, { signal: controller.signal }));
    controller.abort(new Error('caller gave up'));
    await expect(queued).rejects.toThrow('caller gave up');
    expect(next.calls).toBe(1);
    await limiter.stop({ dropWaitingJobs: true });
  });
});
