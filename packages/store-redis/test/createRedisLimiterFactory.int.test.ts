import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createRedisLimiterFactory } from '@splice/store-redis';
import { checkRedis } from '@splice/testkit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeKeys } from './support/removeKeys.js';

const redis = await checkRedis();
const worker = fileURLToPath(new URL('./fixtures/limiterWorker.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));
const runPrefix = `splice-test:${randomUUID()}:`;

afterAll(async () => {
  if (!redis.available) return;
  const admin = new Redis();
  // bottleneck names its keys b_<id>_…, and every id here starts with runPrefix.
  await removeKeys(admin, [`b_${runPrefix}*`]);
  await admin.quit();
});

/** An API that records, on the server side, when each request arrived and how many overlapped. */
interface Recorder {
  readonly url: string;
  readonly arrivals: number[];
  maxInFlight: number;
  readonly server: Server;
}

async function startRecorder(holdMs: number): Promise<Recorder> {
  let inFlight = 0;
  const recorder = { arrivals: [] as number[], maxInFlight: 0 } as {
    -readonly [K in keyof Recorder]: Recorder[K];
  };
  recorder.server = createServer((request, response) => {
    if (request.url === '/warmup') {
      response.end('warm');
      return;
    }
    recorder.arrivals.push(performance.now());
    inFlight += 1;
    recorder.maxInFlight = Math.max(recorder.maxInFlight, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      response.end('ok');
    }, holdMs);
  });
  recorder.server.listen(0, '127.0.0.1');
  await once(recorder.server, 'listening');
  recorder.url = `http://127.0.0.1:${(recorder.server.address() as AddressInfo).port}/`;
  return recorder;
}

/** Runs `processes` workers with the same limiter id; resolves with every status they got. */
async function runWorkers(
  processes: number,
  url: string,
  count: number,
  settings: object,
): Promise<number[]> {
  const id = `limit-${randomUUID()}`;
  const children = Array.from({ length: processes }, () =>
    spawn(
      process.execPath,
      [
        '--conditions=@splice/source',
        '--import',
        'tsx',
        worker,
        runPrefix,
        id,
        url,
        String(count),
        JSON.stringify(settings),
      ],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
    ),
  );
  const messages = children.map((child) => {
    const inbox: { type: string; statuses?: number[] }[] = [];
    const waiters: ((m: { type: string; statuses?: number[] }) => void)[] = [];
    child.on('message', (m: { type: string; statuses?: number[] }) => {
      const waiter = waiters.shift();
      if (waiter) waiter(m);
      else inbox.push(m);
    });
    return () =>
      new Promise<{ type: string; statuses?: number[] }>((resolve, reject) => {
        const queued = inbox.shift();
        if (queued) resolve(queued);
        else waiters.push(resolve);
        child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      });
  });
  try {
    await Promise.all(messages.map((next) => next()));
    const done = messages.map((next) => next());
    // Both start together, so without a shared limit their requests would overlap.
    for (const child of children) child.send('go');
    const results = await Promise.all(done);
    return results.flatMap((m) => m.statuses ?? []);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }
}

describe.skipIf(!redis.available)(`createRedisLimiterFactory${redis.reason}`, () => {
  let recorder: Recorder;
  beforeEach(async () => {
    recorder = await startRecorder(30);
  });
  afterEach(() => {
    recorder.server.closeAllConnections();
    recorder.server.close();
  });

  it('2 processes with maxConcurrent 1: the server never sees two requests at once', async () => {
    const statuses = await runWorkers(2, recorder.url, 8, { maxConcurrent: 1 });
    expect(statuses).toEqual(Array(16).fill(200));
    expect(recorder.arrivals).toHaveLength(16);
    expect(recorder.maxInFlight).toBe(1);
  });

  it('2 processes with minTime: requests are spaced across both processes (server-side timestamps)', async () => {
    const minTime = 100;
    const perProcess = 8;
    await runWorkers(2, recorder.url, perProcess, { minTime });
    const arrivals = [...recorder.arrivals].sort((a, b) => a - b);
    expect(arrivals).toHaveLength(2 * perProcess);
    // One limit for both: 16 requests need at least 15 gaps of minTime. Two separate limits would
    // run side by side and finish in about 7 gaps. Two gaps of slack for jitter on a busy host.
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual((2 * perProcess - 3) * minTime);
  });
});

describe.skipIf(!redis.available)(`createRedisLimiterFactory in one process${redis.reason}`, () => {
  it('prefixes the limiter id, keeps state in Redis and leaves a passed client open on close', async () => {
    const client = new Redis();
    const factory = createRedisLimiterFactory({ client, prefix: runPrefix });
    const limiter = factory({ id: 'instance-1', maxConcurrent: 2 });
    await limiter.ready();
    expect(await limiter.schedule(async () => 'ran')).toBe('ran');
    expect(await client.exists(`b_${runPrefix}instance-1_settings`)).toBe(1);
    await limiter.disconnect();
    await factory.close();
    expect(await client.ping()).toBe('PONG');
    expect(() => factory({ id: 'late' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    await client.quit();
  });

  it('rejects bad options and a missing id with coded TypeErrors', async () => {
    expect(() =>
      createRedisLimiterFactory({ client: new Redis({ lazyConnect: true }), clientOptions: {} }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    const factory = createRedisLimiterFactory({ prefix: runPrefix });
    expect(() => factory({ id: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    await factory.close();
  });
});
