import type { JsonObject } from '@splice/core';
import { type ChildProcessChannel, startChildProcess } from './startChildProcess.js';
import type { Attempt } from './storeContender.js';

/** One contender's answer to a lease request in a round. */
export interface Acquired extends Attempt {
  readonly type: 'acquired';
  readonly round: number;
  readonly pid: number;
}

/** What happened after a lease holder was killed; see {@link Contenders.killHolderAndContend}. */
export interface KilledHolderOutcome {
  /** The lease the killed holder got. */
  readonly killed: Acquired;
  /** The first contender that got the lease after it, and that attempt. */
  readonly winner: { readonly pid: number; readonly attempt: Attempt };
  /** Every attempt of the other contenders until the winner got in. */
  readonly attempts: readonly Attempt[];
  /** How many of those attempts got a lease (one, for a store keeping the contract). */
  readonly winners: number;
}

/** Child processes working on one store, driven in rounds by the test. */
export interface Contenders {
  /**
   * Every contender tries the lease at once; the winner holds it until all have answered, then
   * releases. Returns each round's answers.
   */
  acquireInRounds(key: string, rounds: number): Promise<Acquired[][]>;
  /**
   * The first contender takes the lease for `ttlMs` and is killed with SIGKILL; the others poll
   * until one of them gets it.
   */
  killHolderAndContend(key: string, ttlMs: number): Promise<KilledHolderOutcome>;
  /**
   * `put` writes a one-time value, then every contender takes it at once. Returns what each got
   * per round (`null`: nothing).
   */
  takeInRounds(
    rounds: number,
    put: (key: string, round: number) => Promise<void>,
  ): Promise<unknown[][]>;
  /**
   * Every contender adds 1 to the counter under `key`, `times` times, with compare-and-set
   * (retrying on conflict), all at once. Returns how many conflicts they met in total.
   */
  incrementConcurrently(key: string, times: number): Promise<number>;
  /**
   * All contenders read the same version, then all write with it at once. Returns, per round,
   * the versions they read and how many writes won.
   */
  compareAndSetInRounds(
    key: string,
    rounds: number,
  ): Promise<{ versions: number[]; winners: number }[]>;
  /** Closes every contender still running. */
  stop(): Promise<void>;
}

/** Sends `command` to every contender at once and collects their `reply` messages. */
async function everyone<M extends { type: string }>(
  contenders: readonly ChildProcessChannel[],
  reply: M['type'],
  command: { type: string } & Record<string, unknown>,
): Promise<M[]> {
  const answers = contenders.map((c) => c.next<M>(reply));
  for (const c of contenders) c.send(command);
  return Promise.all(answers);
}

/**
 * Starts `count` child processes, each building the store under test from `moduleUrl` with
 * `storeOptions`, and returns the rounds a test can drive them through.
 *
 * @example
 * ```ts
 * const contenders = await startContenders(4, moduleUrl, { path: file });
 * const rounds = await contenders.acquireInRounds('lock:refresh:i1', 10);
 * await contenders.stop();
 * ```
 */
export async function startContenders(
  count: number,
  moduleUrl: string,
  storeOptions: JsonObject,
): Promise<Contenders> {
  const all = await Promise.all(
    Array.from({ length: count }, () =>
      startChildProcess('storeContender', moduleUrl, storeOptions),
    ),
  );
  return {
    async acquireInRounds(key, rounds) {
      const results: Acquired[][] = [];
      for (let round = 1; round <= rounds; round += 1) {
        results.push(
          await everyone<Acquired>(all, 'acquired', { type: 'acquire', round, key, ttlMs: 30_000 }),
        );
        await everyone(all, 'released', { type: 'release', round });
      }
      return results;
    },

    async killHolderAndContend(key, ttlMs) {
      const [holder, ...others] = all;
      const [killed] = await everyone<Acquired>([holder!], 'acquired', {
        type: 'acquire',
        round: 0,
        key,
        ttlMs,
      });
      if (killed!.token === null) throw new Error('the first contender did not get the lease');
      await holder!.kill();

      type Won = { type: 'won'; pid: number; attempt: Attempt };
      // Only one contender wins; the others' wait for `won` ends when they are closed.
      const wins = others.map((c) => c.next<Won>('won').catch(() => undefined));
      const winner = Promise.race(wins.map((w) => w.then((m) => m ?? new Promise<Won>(() => {}))));
      const lists = everyone<{ type: 'attempts'; attempts: Attempt[] }>(others, 'attempts', {
        type: 'poll',
        key,
        ttlMs: 30_000,
        intervalMs: 10,
      });
      const won = await winner;
      for (const c of others) c.send({ type: 'stop' });
      const attempts = (await lists).flatMap((m) => m.attempts);
      return {
        killed: killed!,
        winner: won,
        attempts,
        winners: attempts.filter((a) => a.token !== null).length,
      };
    },

    async takeInRounds(rounds, put) {
      const results: unknown[][] = [];
      for (let round = 1; round <= rounds; round += 1) {
        const key = `pending:round-${round}`;
        await put(key, round);
        const took = await everyone<{ type: 'took'; value: unknown }>(all, 'took', {
          type: 'take',
          round,
          key,
        });
        results.push(took.map((a) => a.value));
      }
      return results;
    },

    async incrementConcurrently(key, times) {
      const answers = await everyone<{ type: 'incremented'; conflicts: number }>(
        all,
        'incremented',
        { type: 'increment', key, times },
      );
      return answers.reduce((sum, a) => sum + a.conflicts, 0);
    },

    async compareAndSetInRounds(key, rounds) {
      const results: { versions: number[]; winners: number }[] = [];
      for (let round = 1; round <= rounds; round += 1) {
        const reads = await everyone<{ type: 'read'; version: number }>(all, 'read', {
          type: 'read',
          round,
          key,
        });
        const writes = await everyone<{ type: 'written'; won: boolean }>(all, 'written', {
          type: 'write',
          round,
          key,
        });
        results.push({
          versions: reads.map((r) => r.version),
          winners: writes.filter((w) => w.won).length,
        });
      }
      return results;
    },

    async stop() {
      await Promise.all(all.map((c) => c.close()));
    },
  };
}
