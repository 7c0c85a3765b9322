import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore } from '@splice/store-sqlite';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  type Contender,
  compareAndSetInRounds,
  contendInRounds,
  incrementConcurrently,
  killHolderAndContend,
  startContenders,
  stopContenders,
  takeInRounds,
} from './fixtures/storeContention.js';

const modulePath = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'splice-sqlite-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SqliteStore leases across processes', () => {
  let contenders: Contender[] = [];
  afterEach(async () => {
    await stopContenders(contenders);
    contenders = [];
  });

  const options = () => ({
    path: join(dir, `${randomUUID()}.db`),
    encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
  });

  it('4 processes on one file: exactly one wins the refresh lock per round, with growing fencing tokens', async () => {
    contenders = await startContenders(4, modulePath, 'SqliteStore', options());
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
    contenders = await startContenders(4, modulePath, 'SqliteStore', options());
    const ttlMs = 1000;
    const outcome = await killHolderAndContend(contenders, 'lock:refresh:i1', ttlMs);
    expect(outcome.winners).toBe(1);
    expect(outcome.winner.attempt.token).toBeGreaterThan(outcome.killed.token!);
    // The dead holder's lease was granted between the start and the end of its acquire call, so
    // it was live until at least start + TTL and lapsed at the latest at end + TTL.
    const live = outcome.killed.start + ttlMs;
    const lapsed = outcome.killed.end + ttlMs + 5;
    for (const attempt of outcome.attempts) {
      // Nobody got in while the dead holder's lease was live...
      if (attempt.end < live) expect(attempt.token).toBeNull();
      // ...and nobody was turned away after it lapsed, before the winner even started.
      if (attempt.start >= lapsed && attempt.end < outcome.winner.attempt.start) {
        expect(attempt.token).not.toBeNull();
      }
    }
    expect(outcome.attempts.some((a) => a.token === null)).toBe(true);
  });

  it('4 processes take the same one-time value: exactly one gets it, every round', async () => {
    const opts = options();
    contenders = await startContenders(4, modulePath, 'SqliteStore', opts);
    const writer = new SqliteStore(opts);
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
    contenders = await startContenders(4, modulePath, 'SqliteStore', opts);
    // How often they collide depends on scheduling; the deterministic race is the test below.
    await incrementConcurrently(contenders, 'counter', 50);
    const reader = new SqliteStore(opts);
    expect(await reader.get('counter')).toEqual({ value: { count: 200 }, version: 200 });
    await reader.close();
  });

  it('4 processes writing with the same ifVersion: exactly one wins per round', async () => {
    contenders = await startContenders(4, modulePath, 'SqliteStore', options());
    const rounds = await compareAndSetInRounds(contenders, 'instance:i1', 10);
    rounds.forEach(({ versions, winners }, index) => {
      expect(versions).toEqual([index, index, index, index]);
      expect(winners).toBe(1);
    });
  });
});
