import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RedisStore } from '@splice/store-redis';
import { checkRedis } from '@splice/testkit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
// The contention harness is shared with the SQLite store's tests.
import {
  type Contender,
  compareAndSetInRounds,
  contendInRounds,
  incrementConcurrently,
  killHolderAndContend,
  startContenders,
  stopContenders,
  takeInRounds,
} from '../../store-sqlite/test/fixtures/storeContention.js';

const redis = await checkRedis();
const modulePath = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const runPrefix = `splice-test:${randomUUID()}:`;

afterAll(async () => {
  if (!redis.available) return;
  const admin = new Redis();
  let cursor = '0';
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', `${runPrefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await admin.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await admin.quit();
});

describe.skipIf(!redis.available)(`RedisStore leases across processes${redis.reason}`, () => {
  let contenders: Contender[] = [];
  afterEach(async () => {
    await stopContenders(contenders);
    contenders = [];
  });

  const options = () => ({
    prefix: `${runPrefix}${randomUUID()}:`,
    encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
  });

  it('4 processes: exactly one wins the refresh lock per round, with growing fencing tokens', async () => {
    contenders = await startContenders(4, modulePath, 'RedisStore', options());
    const rounds = await contendInRounds(contenders, 'lock:refresh:i1', 10);
    let lastToken = 0;
    for (const answers of rounds) {
      const winners = answers.filter((a) => a.token !== null);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.token).toBeGreaterThan(lastToken);
      lastToken = winners[0]!.token!;
    }
    // Every process tried in every round, so each win was against three live contenders.
    // (Which process wins is up to the scheduler: asserting on it would be flaky.)
    for (const answers of rounds) expect(new Set(answers.map((a) => a.pid)).size).toBe(4);
  });

  it('a holder killed with SIGKILL blocks the others only until its TTL lapses', async () => {
    contenders = await startContenders(4, modulePath, 'RedisStore', options());
    const ttlMs = 1000;
    const outcome = await killHolderAndContend(contenders, 'lock:refresh:i1', ttlMs);
    expect(outcome.winners).toBe(1);
    expect(outcome.winner.attempt.token).toBeGreaterThan(outcome.killed.token!);
    // Redis set the dead holder's PX expiry between the start and the end of its acquire call
    // (same host clock), so the lease was live until start + TTL and gone by end + TTL.
    const live = outcome.killed.start + ttlMs;
    const lapsed = outcome.killed.end + ttlMs + 5;
    for (const attempt of outcome.attempts) {
      if (attempt.end < live) expect(attempt.token).toBeNull();
      if (attempt.start >= lapsed && attempt.end < outcome.winner.attempt.start) {
        expect(attempt.token).not.toBeNull();
      }
    }
    expect(outcome.attempts.some((a) => a.token === null)).toBe(true);
  });

  it('4 processes take the same one-time value: exactly one gets it, every round', async () => {
    const opts = options();
    contenders = await startContenders(4, modulePath, 'RedisStore', opts);
    const writer = new RedisStore(opts);
    const rounds = await takeInRounds(contenders, 10, async (key, round) => {
      await writer.set(key, { round }, { ifVersion: 0, ttlMs: 60_000 });
    });
    await writer.close();
    rounds.forEach((values, index) => {
      expect(values.filter((v) => v !== null)).toEqual([{ round: index + 1 }]);
    });
  });

  it('4 processes incrementing one counter with compare-and-set lose no update', async () => {
    const opts = options();
    contenders = await startContenders(4, modulePath, 'RedisStore', opts);
    // How often they collide depends on scheduling; the deterministic race is the test below.
    await incrementConcurrently(contenders, 'counter', 50);
    const reader = new RedisStore(opts);
    expect(await reader.get('counter')).toEqual({ value: { count: 200 }, version: 200 });
    await reader.close();
  });

  it('4 processes writing with the same ifVersion: exactly one wins per round', async () => {
    contenders = await startContenders(4, modulePath, 'RedisStore', options());
    const rounds = await compareAndSetInRounds(contenders, 'instance:i1', 10);
    rounds.forEach(({ versions, winners }, index) => {
      expect(versions).toEqual([index, index, index, index]);
      expect(winners).toBe(1);
    });
  });
});
