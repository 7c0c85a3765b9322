// A child process of describeMultiProcessStoreConformance: builds the store under test and works
// on it on command from the test (over IPC): leases, take, compare-and-set.
// argv: <store process module URL> <JSON store options>
import type { JsonObject, Lease } from '@splice/core';
import { loadStoreProcessModule } from './loadStoreProcessModule.js';

/** One `acquireLease` call as the contender saw it: when it started and ended, and the token. */
export interface Attempt {
  readonly start: number;
  readonly end: number;
  /** The fencing token of the lease granted, `null` when the lease was held by another. */
  readonly token: number | null;
}

type Command =
  | { type: 'acquire'; round: number; key: string; ttlMs: number }
  | { type: 'release'; round: number }
  | { type: 'poll'; key: string; ttlMs: number; intervalMs: number }
  | { type: 'take'; round: number; key: string }
  | { type: 'increment'; key: string; times: number }
  | { type: 'read'; round: number; key: string }
  | { type: 'write'; round: number; key: string }
  | { type: 'stop' }
  | { type: 'close' };

const [moduleUrl, json] = process.argv.slice(2);
const { createStore } = await loadStoreProcessModule(moduleUrl!, []);
const store = await createStore(JSON.parse(json!) as JsonObject);
const held = new Map<number, Lease>();
const versions = new Map<number, number>();
let polling = false;

const send = (message: unknown): void => {
  process.send!(message);
};

function isConflict(error: unknown): boolean {
  return (error as { code?: unknown }).code === 'STORE_CONFLICT';
}

async function attempt(key: string, ttlMs: number): Promise<{ attempt: Attempt; lease?: Lease }> {
  const start = Date.now();
  const lease = await store.acquireLease(key, ttlMs);
  const end = Date.now();
  return {
    attempt: { start, end, token: lease?.fencingToken ?? null },
    ...(lease === undefined ? {} : { lease }),
  };
}

process.on('message', async (command: Command) => {
  switch (command.type) {
    case 'acquire': {
      const { attempt: result, lease } = await attempt(command.key, command.ttlMs);
      if (lease !== undefined) held.set(command.round, lease);
      send({ type: 'acquired', round: command.round, pid: process.pid, ...result });
      return;
    }
    case 'release': {
      await held.get(command.round)?.release();
      held.delete(command.round);
      send({ type: 'released', round: command.round });
      return;
    }
    case 'poll': {
      polling = true;
      const attempts: Attempt[] = [];
      while (polling) {
        const { attempt: result } = await attempt(command.key, command.ttlMs);
        attempts.push(result);
        if (result.token !== null) {
          send({ type: 'won', pid: process.pid, attempt: result });
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, command.intervalMs));
      }
      polling = false;
      send({ type: 'attempts', pid: process.pid, attempts });
      return;
    }
    case 'take': {
      const value = await store.take(command.key);
      send({ type: 'took', round: command.round, pid: process.pid, value: value ?? null });
      return;
    }
    case 'increment': {
      // Read-modify-write with compare-and-set, retried on conflict: the classic lost-update race.
      let conflicts = 0;
      for (let done = 0; done < command.times; ) {
        const entry = await store.get<{ count: number }>(command.key);
        // Yield between read and write, as real work would: it widens the race window.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          await store.set(
            command.key,
            { count: (entry?.value.count ?? 0) + 1 },
            { ifVersion: entry?.version ?? 0 },
          );
          done += 1;
        } catch (error) {
          if (!isConflict(error)) throw error;
          conflicts += 1;
        }
      }
      send({ type: 'incremented', pid: process.pid, conflicts });
      return;
    }
    case 'read': {
      versions.set(command.round, (await store.get(command.key))?.version ?? 0);
      send({ type: 'read', round: command.round, version: versions.get(command.round) });
      return;
    }
    case 'write': {
      let won = false;
      try {
        await store.set(
          command.key,
          { pid: process.pid },
          { ifVersion: versions.get(command.round)! },
        );
        won = true;
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
      send({ type: 'written', round: command.round, won });
      return;
    }
    case 'stop':
      polling = false;
      return;
    case 'close':
      await store.close();
      process.disconnect();
      return;
  }
});

send({ type: 'ready', pid: process.pid });
