import type { JsonObject } from '@splice/core';
import { afterEach, describe, expect, it } from 'vitest';
import { loadStoreProcessModule } from '../multiProcess/loadStoreProcessModule.js';
import { processCount } from '../multiProcess/processCount.js';
import { type Contenders, startContenders } from '../multiProcess/startContenders.js';
import { storeProcessModuleUrl } from '../multiProcess/storeProcessModuleUrl.js';

/**
 * Options of {@link describeMultiProcessStoreConformance}.
 *
 * @example
 * ```ts
 * const options: MultiProcessStoreConformanceOptions = {
 *   module: new URL('./fixtures/sqliteStoreProcess.ts', import.meta.url),
 *   storeOptions: () => ({ path: join(dir, `${randomUUID()}.db`) }),
 * };
 * ```
 */
export interface MultiProcessStoreConformanceOptions {
  /**
   * Path or file URL of the module every process imports to build its store: it exports
   * `createStore(options)` (see `StoreProcessModule`).
   */
  readonly module: string | URL;
  /**
   * JSON options for `createStore`, fresh for each test (a new file, a new key prefix); every
   * process of one test gets the same, so they share one backend. The suite leaves what it wrote
   * there: remove it after the run.
   */
  readonly storeOptions: () => JsonObject | Promise<JsonObject>;
  /** How many processes contend (default 4, at least 2). */
  readonly processes?: number;
  /** Rounds of the round-based tests (default 10). */
  readonly rounds?: number;
  /** Timeout of each test in ms (default 60000): child processes take a while to start. */
  readonly timeoutMs?: number;
}

/**
 * Registers vitest tests that check a `Store` keeps its contract when several processes
 * share it (SPEC §4 step 4, §6), which no test inside one process can show: exactly one process
 * wins a lease per round, with growing fencing tokens; a holder killed with SIGKILL blocks the
 * others only until its TTL lapses, and not a moment less; exactly one process gets a one-time
 * value; processes incrementing one counter with compare-and-set lose no update; exactly one of
 * the writers holding the same version wins.
 *
 * @example
 * ```ts
 * import { describeMultiProcessStoreConformance } from '@splice/testkit/conformance';
 * describeMultiProcessStoreConformance('SqliteStore', {
 *   module: new URL('./fixtures/sqliteStoreProcess.ts', import.meta.url),
 *   storeOptions: () => ({ path: join(dir, `${randomUUID()}.db`), encryption: false }),
 * });
 * ```
 */
export function describeMultiProcessStoreConformance(
  name: string,
  options: MultiProcessStoreConformanceOptions,
): void {
  const processes = processCount(options.processes);
  const rounds = options.rounds ?? 10;
  const moduleUrl = storeProcessModuleUrl(options.module);

  describe(`${name} across ${processes} processes (store conformance)`, {
    timeout: options.timeoutMs ?? 60_000,
  }, () => {
    let contenders: Contenders | undefined;
    afterEach(async () => {
      await contenders?.stop();
      contenders = undefined;
    });

    /** Starts the contenders on fresh store options and returns those options. */
    async function contend(): Promise<{ contenders: Contenders; storeOptions: JsonObject }> {
      const storeOptions = await options.storeOptions();
      contenders = await startContenders(processes, moduleUrl, storeOptions);
      return { contenders, storeOptions };
    }

    /** The store under test in this process, on the same backend as the contenders. */
    async function openHere(storeOptions: JsonObject) {
      const { createStore } = await loadStoreProcessModule(moduleUrl, []);
      return createStore(storeOptions);
    }

    it(`exactly one process wins the refresh lock per round, with growing fencing tokens`, async () => {
      const { contenders } = await contend();
      const answers = await contenders.acquireInRounds('lock:refresh:i1', rounds);
      let lastToken = 0;
      for (const round of answers) {
        const winners = round.filter((a) => a.token !== null);
        expect(winners).toHaveLength(1);
        expect(winners[0]!.token).toBeGreaterThan(lastToken);
        lastToken = winners[0]!.token!;
      }
      // Every process tried in every round, so each win was against all the other live
      // processes. (Which process wins is up to the scheduler: asserting on it would be flaky.)
      for (const round of answers) expect(new Set(round.map((a) => a.pid)).size).toBe(processes);
    });

    it('a holder killed with SIGKILL blocks the others only until its TTL lapses', async () => {
      const { contenders } = await contend();
      const ttlMs = 1000;
      const outcome = await contenders.killHolderAndContend('lock:refresh:i1', ttlMs);
      expect(outcome.winners).toBe(1);
      expect(outcome.winner.attempt.token).toBeGreaterThan(outcome.killed.token!);
      // The dead holder's lease was granted between the start and the end of its acquire call
      // (processes on one host share the clock), so it was live until at least start + TTL and
      // lapsed at the latest at end + TTL.
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

    it(`${processes} processes take the same one-time value: exactly one gets it, every round`, async () => {
      const { contenders, storeOptions } = await contend();
      const writer = await openHere(storeOptions);
      try {
        const taken = await contenders.takeInRounds(rounds, async (key, round) => {
          await writer.set(key, { round }, { ifVersion: 0, ttlMs: 60_000 });
        });
        taken.forEach((values, index) => {
          expect(values.filter((v) => v !== null)).toEqual([{ round: index + 1 }]);
        });
      } finally {
        await writer.close();
      }
    });

    it(`${processes} processes incrementing one counter with compare-and-set lose no update`, async () => {
      const { contenders, storeOptions } = await contend();
      const times = 50;
      // How often they collide depends on scheduling; the deterministic race is the test below.
      await contenders.incrementConcurrently('counter', times);
      const reader = await openHere(storeOptions);
      try {
        expect(await reader.get('counter')).toEqual({
          value: { count: processes * times },
          version: processes * times,
        });
      } finally {
        await reader.close();
      }
    });

    it(`${processes} processes writing with the same ifVersion: exactly one wins per round`, async () => {
      const { contenders } = await contend();
      const results = await contenders.compareAndSetInRounds('instance:i1', rounds);
      results.forEach(({ versions, winners }, index) => {
        expect(versions).toEqual(Array.from({ length: processes }, () => index));
        expect(winners).toBe(1);
      });
    });
  });
}
