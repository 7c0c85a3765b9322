import { SpliceError } from '@splice/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type HttpResponse,
  mayRetryFailure,
  type RetryNotice,
  type RetryPolicy,
  RetryRule,
  retryAfterMs,
} from '../src/index.js';

const POLICY: RetryPolicy = {
  retries: 2,
  minDelayMs: 100,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 30_000,
};
const FAST: RetryPolicy = { ...POLICY, minDelayMs: 1 };

function answers(...items: (number | Error | HttpResponse)[]) {
  const attempt = Object.assign(
    async (): Promise<HttpResponse> => {
      const item = items[Math.min(attempt.calls, items.length - 1)]!;
      attempt.calls++;
      if (item instanceof Error) throw item;
      return typeof item === 'number' ? { status: item, headers: {}, body: '' } : item;
    },
    { calls: 0 },
  );
  return attempt;
}

function networkFailure(sent: boolean): SpliceError {
  return new SpliceError('ENDPOINT_REQUEST_FAILED', 'failed', {
    details: { reason: 'network', sent, errorCode: sent ? 'ECONNRESET' : 'ECONNREFUSED' },
  });
}

const run = (
  attempt: () => Promise<HttpResponse>,
  idempotent: boolean,
  policy: RetryPolicy = POLICY,
  extra: { now?: () => number; signal?: AbortSignal; onRetry?: (r: RetryNotice) => void } = {},
) =>
  new RetryRule(policy, 'ENDPOINT_REQUEST_FAILED', extra.now ?? Date.now).run(attempt, {
    idempotent,
    signal: extra.signal,
    onRetry: extra.onRetry,
  });

afterEach(() => {
  vi.useRealTimers();
});

describe('RetryRule', () => {
  it('retries 5xx of an idempotent request and returns the first success', async () => {
    const attempt = answers(503, 502, 200);
    expect((await run(attempt, true, FAST)).status).toBe(200);
    expect(attempt.calls).toBe(3);
  });

  it('never retries a 5xx or 429 of a request that is not idempotent', async () => {
    for (const status of [500, 503, 429]) {
      const attempt = answers(status, 200);
      expect((await run(attempt, false)).status).toBe(status);
      expect(attempt.calls).toBe(1);
    }
  });

  it('retries any request when nothing was sent', async () => {
    const attempt = answers(networkFailure(false), 201);
    expect((await run(attempt, false, FAST)).status).toBe(201);
    expect(attempt.calls).toBe(2);
  });

  it('retries a failure after sending only for idempotent requests', async () => {
    const post = answers(networkFailure(true), 200);
    await expect(run(post, false, FAST)).rejects.toMatchObject({ code: 'ENDPOINT_REQUEST_FAILED' });
    expect(post.calls).toBe(1);
    const get = answers(networkFailure(true), 200);
    await run(get, true, FAST);
    expect(get.calls).toBe(2);
  });

  it('retries only the failures of its own requests, not a token failure passing through', async () => {
    const tokenFailure = new SpliceError('TOKEN_REQUEST_FAILED', 'failed', {
      details: { reason: 'network', sent: false, errorCode: 'ECONNREFUSED' },
    });
    const attempt = answers(tokenFailure, 200);
    await expect(run(attempt, true, FAST)).rejects.toBe(tokenFailure);
    expect(attempt.calls).toBe(1);
  });

  it('applies the same rule to token request failures', async () => {
    const refused = new SpliceError('TOKEN_REQUEST_FAILED', 'failed', {
      details: { reason: 'network', sent: false, errorCode: 'ECONNREFUSED' },
    });
    expect(mayRetryFailure(refused, false)).toBe(true);
    const tooLarge = new SpliceError('TOKEN_REQUEST_FAILED', 'big', {
      details: { reason: 'response_too_large' },
    });
    expect(mayRetryFailure(tooLarge, true)).toBe(false);
  });

  it('does not retry 4xx answers, timeouts or other errors', async () => {
    const notFound = answers(404, 200);
    expect((await run(notFound, true)).status).toBe(404);
    expect(notFound.calls).toBe(1);
    const timeout = answers(new SpliceError('TIMEOUT', 'slow'), 200);
    await expect(run(timeout, true)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(timeout.calls).toBe(1);
    const other = answers(new TypeError('bug'), 200);
    await expect(run(other, true)).rejects.toThrow('bug');
    expect(other.calls).toBe(1);
  });

  it('is bounded: after retries + 1 attempts it returns the last answer', async () => {
    const attempt = answers(503);
    expect((await run(attempt, true, FAST)).status).toBe(503);
    expect(attempt.calls).toBe(3);
  });

  it('waits exactly what Retry-After (seconds) asks before the next attempt', async () => {
    vi.useFakeTimers();
    const attempt = answers({ status: 429, headers: { 'retry-after': '2' }, body: '' }, 200);
    const pending = run(attempt, true);
    await vi.advanceTimersByTimeAsync(1999);
    expect(attempt.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(200);
    expect(attempt.calls).toBe(2);
  });

  it('reads a Retry-After HTTP-date with the injected clock', async () => {
    vi.useFakeTimers();
    // The injected clock is a day behind the timers: the wait must come from it.
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const date = new Date(now + 3000).toUTCString();
    const attempt = answers({ status: 503, headers: { 'retry-after': date }, body: '' }, 200);
    const pending = run(attempt, true, POLICY, { now: () => now });
    await vi.advanceTimersByTimeAsync(2999);
    expect(attempt.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(attempt.calls).toBe(2);
  });

  it('does not wait for a Retry-After beyond maxRetryAfterMs: the answer is final at once', async () => {
    const attempt = answers({ status: 503, headers: { 'retry-after': '3600' }, body: '' }, 200);
    const response = await run(attempt, true);
    expect(response.status).toBe(503);
    expect(response.headers['retry-after']).toBe('3600');
    expect(attempt.calls).toBe(1);
  });

  it('backs off exponentially with jitter between half and the full delay', async () => {
    vi.useFakeTimers();
    const delays: number[] = [];
    const pending = run(
      answers(503),
      true,
      { ...POLICY, retries: 3 },
      { onRetry: (r) => delays.push(r.delayMs) },
    );
    await vi.advanceTimersByTimeAsync(10_000);
    await pending;
    expect(delays).toHaveLength(3);
    [100, 200, 400].forEach((base, i) => {
      expect(delays[i]).toBeGreaterThanOrEqual(base / 2);
      expect(delays[i]).toBeLessThanOrEqual(base);
    });
  });

  it('tells onRetry the attempt and why, never more', async () => {
    const notices: RetryNotice[] = [];
    await run(answers(networkFailure(false), 503, 200), true, FAST, {
      onRetry: (r) => notices.push(r),
    });
    expect(
      notices.map(({ attempt, status, errorCode }) => ({ attempt, status, errorCode })),
    ).toEqual([
      { attempt: 1, status: undefined, errorCode: 'ENDPOINT_REQUEST_FAILED' },
      { attempt: 2, status: 503, errorCode: undefined },
    ]);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const attempt = answers({ status: 503, headers: { 'retry-after': '20' }, body: '' });
    const pending = run(attempt, true, POLICY, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await expect(pending).rejects.toThrow('stop');
    expect(attempt.calls).toBe(1);
  });

  it('with retries 0 makes exactly one attempt', async () => {
    const attempt = answers(503, 200);
    expect((await run(attempt, true, { ...POLICY, retries: 0 })).status).toBe(503);
    expect(attempt.calls).toBe(1);
  });
});

describe('RetryRule.repeat (operations that are not HTTP exchanges)', () => {
  const unavailable = () => new SpliceError('STORE_UNAVAILABLE', 'down');
  const isUnavailable = (error: unknown) => SpliceError.is(error, 'STORE_UNAVAILABLE');
  const rule = new RetryRule(FAST, 'TOKEN_REQUEST_FAILED', Date.now);

  it('repeats while shouldRetry holds and resolves to the first success', async () => {
    let calls = 0;
    const notices: RetryNotice[] = [];
    const result = await rule.repeat(
      async () => {
        calls++;
        if (calls < 4) throw unavailable();
        return 'landed';
      },
      { retries: 5, shouldRetry: isUnavailable, onRetry: (n) => notices.push(n) },
    );
    expect(result).toBe('landed');
    expect(calls).toBe(4);
    expect(notices.map((n) => n.attempt)).toEqual([1, 2, 3]);
    expect(notices.every((n) => n.errorCode === 'STORE_UNAVAILABLE')).toBe(true);
  });

  it('stops at `retries` (default: the policy) and on an error shouldRetry refuses', async () => {
    let calls = 0;
    const failing = async () => {
      calls++;
      throw unavailable();
    };
    await expect(rule.repeat(failing, { shouldRetry: isUnavailable })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect(calls).toBe(1 + FAST.retries);
    calls = 0;
    const conflict = new SpliceError('STORE_CONFLICT', 'raced', {
      details: { key: 'k', expected: 1, actual: 2 },
    });
    await expect(
      rule.repeat(
        async () => {
          calls++;
          throw conflict;
        },
        { retries: 5, shouldRetry: isUnavailable },
      ),
    ).rejects.toBe(conflict);
    expect(calls).toBe(1);
  });

  it('repeats without bound until the signal aborts', async () => {
    const controller = new AbortController();
    let calls = 0;
    const capped = new RetryRule({ ...FAST, maxDelayMs: 2 }, 'TOKEN_REQUEST_FAILED', Date.now);
    const outcome = capped.repeat(
      async () => {
        calls++;
        if (calls === 20) controller.abort(new Error('closing'));
        throw unavailable();
      },
      { retries: Number.POSITIVE_INFINITY, shouldRetry: isUnavailable, signal: controller.signal },
    );
    await expect(outcome).rejects.toThrow('closing');
    expect(calls).toBe(20);
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
