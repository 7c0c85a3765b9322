import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type JsonObject,
  type JsonValue,
  SpliceError,
  type Store,
  type StoreEncryptionKey,
} from '@splice/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/**
 * Options of {@link describeStoreConformance}.
 *
 * @example
 * ```ts
 * const options: StoreConformanceOptions = { encrypted: true, ttlMs: 60, concurrency: 8 };
 * ```
 */
export interface StoreConformanceOptions {
  /**
   * The factory configures an encryption key: run the encryption round trip too (values holding
   * secrets come back intact through get, take and compare-and-set).
   */
  readonly encrypted?: boolean;
  /**
   * Reads what the backend holds for `key` (a SQLite row, a Redis string), so the suite can check
   * that, with `encrypted`, no secret appears in clear text at rest.
   */
  readonly readRaw?: (store: Store, key: string) => Promise<string | Uint8Array | undefined>;
  /**
   * Opens another store on the backend of `store` (the same file, the same key prefix) that
   * encrypts with `keys[0]` and decrypts with every key, so the suite can check key rotation
   * with `encrypted`.
   */
  readonly reopen?: (store: Store, keys: readonly StoreEncryptionKey[]) => Promise<Store> | Store;
  /** The short TTL of expiry tests, in ms (default 40). Tests sleep a few times longer. */
  readonly ttlMs?: number;
  /** How many concurrent callers the atomicity tests start (default 16). */
  readonly concurrency?: number;
  /** Timeout of each test in ms (default 30000). */
  readonly timeoutMs?: number;
}

/** The contract every store has; `Store` methods plus nothing else. */
type StoreFactory = () => Promise<Store> | Store;

/**
 * Registers vitest tests that check a {@link Store} implementation keeps the contract of SPEC §6:
 * versions and compare-and-set, TTL, atomic take, delete, prefix listing, the lease lock with
 * fencing, value isolation, argument checks and (when configured) encryption and key rotation.
 * The factory is called once per test and the store is closed after it; every test works under
 * its own random key prefix, so stores that share a backend (a Redis server) do not see each
 * other.
 *
 * @example
 * ```ts
 * import { describeStoreConformance } from '@splice/testkit/conformance';
 * describeStoreConformance('SqliteStore', () => new SqliteStore({ path: tmpFile() }));
 * describeStoreConformance('SqliteStore, encrypted', () => new SqliteStore({ path: tmpFile(),
 *   encryption: { keys: [{ id: 'k1', key: randomBytes(32) }] } }), { encrypted: true,
 *   reopen: (store, keys) => new SqliteStore({ path: pathOf(store), encryption: { keys } }) });
 * ```
 */
export function describeStoreConformance(
  name: string,
  factory: StoreFactory,
  options: StoreConformanceOptions = {},
): void {
  const ttlMs = options.ttlMs ?? 40;
  const concurrency = options.concurrency ?? 16;

  // Durable stores fsync every write; on a busy machine a few hundred writes outlast vitest's
  // default 5 s, which says nothing about the contract.
  describe(`${name} (store conformance)`, { timeout: options.timeoutMs ?? 30_000 }, () => {
    let store: Store;
    let ns: string;
    const k = (suffix: string): string => `${ns}${suffix}`;

    beforeEach(async () => {
      store = await factory();
      ns = `conf-${randomUUID().slice(0, 8)}:`;
    });
    afterEach(async () => {
      // Leave shared backends clean: remove what this test wrote.
      for (const key of await store.keys(ns)) await store.delete(key);
      await store.close();
    });

    describe('get and set', () => {
      it('reads undefined for a key never written', async () => {
        expect(await store.get(k('missing'))).toBeUndefined();
      });

      it('starts versions at 1 and adds one per write', async () => {
        expect(await store.set(k('a'), { n: 1 })).toBe(1);
        expect(await store.set(k('a'), { n: 2 })).toBe(2);
        expect(await store.get(k('a'))).toEqual({ value: { n: 2 }, version: 2 });
      });

      it('round-trips every JSON shape', async () => {
        const values: JsonValue[] = [
          'text with ünïcödé, "quotes" and a \u0000 nul',
          0,
          -1.5,
          true,
          false,
          null,
          [],
          [1, 'two', { three: [3] }],
          { nested: { deep: { list: [null, true, 'x'] } }, empty: {} },
        ];
        for (const [index, value] of values.entries()) {
          await store.set(k(`shape:${index}`), value);
          expect((await store.get(k(`shape:${index}`)))?.value).toEqual(value);
        }
      });

      it('keeps values apart from the caller: mutating after set or after get changes nothing stored', async () => {
        const value = { list: [1, 2], inner: { a: 'b' } };
        await store.set(k('clone'), value);
        value.list.push(3);
        value.inner.a = 'changed';
        const read = (await store.get<typeof value>(k('clone')))!.value;
        expect(read).toEqual({ list: [1, 2], inner: { a: 'b' } });
        read.list.push(99);
        expect((await store.get(k('clone')))?.value).toEqual({ list: [1, 2], inner: { a: 'b' } });
      });

      it('treats keys as opaque text: similar keys are distinct', async () => {
        await store.set(k('a:b'), 1);
        await store.set(k('a_b'), 2);
        await store.set(k('A:B'), 3);
        await store.set(k('a:b '), 4);
        expect((await store.get(k('a:b')))?.value).toBe(1);
        expect((await store.get(k('a_b')))?.value).toBe(2);
        expect((await store.get(k('A:B')))?.value).toBe(3);
        expect((await store.get(k('a:b ')))?.value).toBe(4);
      });
    });

    describe('compare-and-set', () => {
      it('ifVersion 0 writes only when the key is absent', async () => {
        expect(await store.set(k('cas0'), 'first', { ifVersion: 0 })).toBe(1);
        const error = await store.set(k('cas0'), 'second', { ifVersion: 0 }).catch(caught);
        expect(SpliceError.is(error, 'STORE_CONFLICT')).toBe(true);
        expect(await store.get(k('cas0'))).toEqual({ value: 'first', version: 1 });
      });

      it('a stale ifVersion throws STORE_CONFLICT and writes nothing', async () => {
        const v1 = await store.set(k('cas'), { n: 1 });
        const v2 = await store.set(k('cas'), { n: 2 }, { ifVersion: v1 });
        expect(v2).toBe(v1 + 1);
        const error = await store.set(k('cas'), { n: 3 }, { ifVersion: v1 }).catch(caught);
        expect(SpliceError.is(error, 'STORE_CONFLICT')).toBe(true);
        expect(await store.get(k('cas'))).toEqual({ value: { n: 2 }, version: v2 });
      });

      it('a version ahead of the stored one conflicts too', async () => {
        await store.set(k('ahead'), 1);
        const error = await store.set(k('ahead'), 2, { ifVersion: 5 }).catch(caught);
        expect(SpliceError.is(error, 'STORE_CONFLICT')).toBe(true);
        expect(await store.get(k('ahead'))).toEqual({ value: 1, version: 1 });
      });

      it('an ifVersion on a missing key conflicts and creates nothing', async () => {
        const error = await store.set(k('nokey'), 1, { ifVersion: 1 }).catch(caught);
        expect(SpliceError.is(error, 'STORE_CONFLICT')).toBe(true);
        expect(await store.get(k('nokey'))).toBeUndefined();
      });

      it(`lets exactly one of ${concurrency} concurrent writers with the same ifVersion win`, async () => {
        const v1 = await store.set(k('race'), { winner: -1 });
        const results = await Promise.allSettled(
          Array.from({ length: concurrency }, (_, i) =>
            store.set(k('race'), { winner: i }, { ifVersion: v1 }),
          ),
        );
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected')
            expect(SpliceError.is(r.reason, 'STORE_CONFLICT')).toBe(true);
        }
        expect(await store.get(k('race'))).toEqual({ value: { winner: won[0] }, version: v1 + 1 });
      });

      it(`lets exactly one of ${concurrency} concurrent creators with ifVersion 0 win`, async () => {
        const results = await Promise.allSettled(
          Array.from({ length: concurrency }, (_, i) =>
            store.set(k('create'), i, { ifVersion: 0 }),
          ),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      });
    });

    describe('TTL', () => {
      it('keeps a value until its TTL', async () => {
        await store.set(k('long'), 'here', { ttlMs: 60_000 });
        expect((await store.get(k('long')))?.value).toBe('here');
      });

      it(`reads an expired key as absent everywhere (TTL ${ttlMs} ms, then sleep)`, async () => {
        await store.set(k('short'), 'gone soon', { ttlMs });
        await store.set(k('stays'), 'stays');
        await sleep(ttlMs * 4);
        expect(await store.get(k('short'))).toBeUndefined();
        expect(await store.take(k('short'))).toBeUndefined();
        expect(await store.keys(k(''))).toEqual([k('stays')]);
        // An expired key counts as absent for compare-and-set as well.
        expect(await store.set(k('short'), 'again', { ifVersion: 0 })).toBe(1);
      });

      it('a write without a TTL clears an earlier TTL', async () => {
        // Long enough that the second write surely lands before the first TTL lapses.
        const firstTtlMs = ttlMs * 10;
        await store.set(k('ttl-cleared'), 1, { ttlMs: firstTtlMs });
        await store.set(k('ttl-cleared'), 2);
        await sleep(firstTtlMs * 2);
        expect(await store.get(k('ttl-cleared'))).toEqual({ value: 2, version: 2 });
      });

      it('a later write with a TTL sets a new TTL', async () => {
        await store.set(k('ttl-renewed'), 1);
        await store.set(k('ttl-renewed'), 2, { ttlMs });
        await sleep(ttlMs * 4);
        expect(await store.get(k('ttl-renewed'))).toBeUndefined();
      });
    });

    describe('take', () => {
      it('returns the value once and deletes it', async () => {
        await store.set(k('once'), { state: 's' });
        expect(await store.take(k('once'))).toEqual({ state: 's' });
        expect(await store.take(k('once'))).toBeUndefined();
        expect(await store.get(k('once'))).toBeUndefined();
      });

      it('returns undefined for a missing key', async () => {
        expect(await store.take(k('never'))).toBeUndefined();
      });

      it(`hands the value to exactly one of ${concurrency} concurrent takers`, async () => {
        await store.set(k('contended'), { prize: true }, { ttlMs: 60_000 });
        const taken = await Promise.all(
          Array.from({ length: concurrency }, () => store.take(k('contended'))),
        );
        expect(taken.filter((v) => v !== undefined)).toEqual([{ prize: true }]);
      });
    });

    describe('delete', () => {
      it('deletes and says whether something was there', async () => {
        await store.set(k('del'), 1);
        expect(await store.delete(k('del'))).toBe(true);
        expect(await store.delete(k('del'))).toBe(false);
        expect(await store.get(k('del'))).toBeUndefined();
      });

      it('lets a deleted key be created again with ifVersion 0', async () => {
        await store.set(k('recreate'), 1);
        await store.delete(k('recreate'));
        expect(await store.set(k('recreate'), 2, { ifVersion: 0 })).toBe(1);
      });
    });

    describe('keys', () => {
      it('lists exactly the keys under a prefix, taking the prefix literally', async () => {
        for (const key of ['p:1', 'p:2', 'p:3:x', 'q:1', 'p_1', 'p%', 'p*:1', 'p?:1', 'p[1]']) {
          await store.set(k(key), key);
        }
        expect((await store.keys(k('p:'))).sort()).toEqual([k('p:1'), k('p:2'), k('p:3:x')]);
        expect(await store.keys(k('p_'))).toEqual([k('p_1')]);
        expect(await store.keys(k('p%'))).toEqual([k('p%')]);
        expect(await store.keys(k('p*'))).toEqual([k('p*:1')]);
        expect(await store.keys(k('p?'))).toEqual([k('p?:1')]);
        expect(await store.keys(k('p['))).toEqual([k('p[1]')]);
        expect(await store.keys(k('nothing:'))).toEqual([]);
      });

      it('lists many keys', async () => {
        const count = 250;
        for (let i = 0; i < count; i += 1) await store.set(k(`many:${i}`), i);
        const keys = await store.keys(k('many:'));
        expect(new Set(keys).size).toBe(count);
        expect(keys).toHaveLength(count);
      });

      it('does not list leases or deleted keys', async () => {
        await store.set(k('kept'), 1);
        await store.set(k('dropped'), 1);
        await store.delete(k('dropped'));
        const lease = await store.acquireLease(k('lease'), 60_000);
        expect(lease).toBeDefined();
        expect(await store.keys(k(''))).toEqual([k('kept')]);
        await lease?.release();
      });
    });

    describe('acquireLease', () => {
      it('grants a lease once; a second caller gets undefined while it is held', async () => {
        const first = await store.acquireLease(k('lock'), 60_000);
        expect(first).toMatchObject({ key: k('lock') });
        expect(first!.fencingToken).toBeGreaterThan(0);
        expect(first!.expiresAt).toBeGreaterThan(0);
        expect(await store.acquireLease(k('lock'), 60_000)).toBeUndefined();
        await first!.release();
      });

      it(`grants exactly one of ${concurrency} concurrent requests`, async () => {
        const leases = await Promise.all(
          Array.from({ length: concurrency }, () => store.acquireLease(k('contended'), 60_000)),
        );
        const granted = leases.filter((l) => l !== undefined);
        expect(granted).toHaveLength(1);
        await granted[0]!.release();
      });

      it('is free again after release, with a larger fencing token', async () => {
        const first = await store.acquireLease(k('relock'), 60_000);
        await first!.release();
        const second = await store.acquireLease(k('relock'), 60_000);
        expect(second).toBeDefined();
        expect(second!.fencingToken).toBeGreaterThan(first!.fencingToken);
        await second!.release();
      });

      it('lapses after its TTL and lets another holder in with a larger fencing token', async () => {
        const first = await store.acquireLease(k('lapse'), ttlMs);
        expect(first).toBeDefined();
        await sleep(ttlMs * 4);
        const second = await store.acquireLease(k('lapse'), 60_000);
        expect(second).toBeDefined();
        expect(second!.fencingToken).toBeGreaterThan(first!.fencingToken);
        await second!.release();
      });

      it('a release by a stale holder does not release the new holder', async () => {
        const stale = await store.acquireLease(k('stale'), ttlMs);
        await sleep(ttlMs * 4);
        const current = await store.acquireLease(k('stale'), 60_000);
        expect(current).toBeDefined();
        await stale!.release();
        expect(await store.acquireLease(k('stale'), 60_000)).toBeUndefined();
        await current!.release();
        expect(await store.acquireLease(k('stale'), 60_000)).toBeDefined();
      });

      it('releasing twice is harmless', async () => {
        const lease = await store.acquireLease(k('twice'), 60_000);
        await lease!.release();
        await lease!.release();
        const next = await store.acquireLease(k('twice'), 60_000);
        expect(next).toBeDefined();
        await next!.release();
      });

      it('keeps leases apart from values under the same key', async () => {
        await store.set(k('both'), 'value');
        const lease = await store.acquireLease(k('both'), 60_000);
        expect(lease).toBeDefined();
        expect((await store.get(k('both')))?.value).toBe('value');
        await store.delete(k('both'));
        expect(await store.acquireLease(k('both'), 60_000)).toBeUndefined();
        await lease!.release();
      });
    });

    describe('argument checks', () => {
      it('rejects a bad ttlMs or ifVersion with a coded TypeError, writing nothing', async () => {
        for (const bad of [
          { ttlMs: 0 },
          { ttlMs: -5 },
          { ttlMs: Number.NaN },
          { ifVersion: -1 },
          { ifVersion: 1.5 },
        ]) {
          const error = await Promise.resolve()
            .then(() => store.set(k('bad'), 1, bad))
            .catch(caught);
          expect(error).toBeInstanceOf(TypeError);
          expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
        }
        expect(await store.get(k('bad'))).toBeUndefined();
      });

      it('rejects a value JSON cannot hold with a coded TypeError naming the key, writing nothing', async () => {
        const cyclic: Record<string, unknown> = { a: 1 };
        cyclic['again'] = cyclic;
        for (const bad of [cyclic, { n: 1n }, undefined, () => 1]) {
          const error = await Promise.resolve()
            .then(() => store.set(k('not-json'), bad as never))
            .catch(caught);
          expect(error).toBeInstanceOf(TypeError);
          expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
          expect((error as Error).message).toContain(k('not-json'));
        }
        expect(await store.get(k('not-json'))).toBeUndefined();
      });

      it('rejects a bad lease TTL with a coded TypeError', async () => {
        for (const bad of [0, -1, Number.POSITIVE_INFINITY, Number.NaN]) {
          const error = await Promise.resolve()
            .then(() => store.acquireLease(k('bad-lease'), bad))
            .catch(caught);
          expect(error).toBeInstanceOf(TypeError);
          expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
        }
      });
    });

    // Registered only for encrypted stores: a plain store has nothing to prove here, and a
    // skipped test would read as a missing service.
    if (options.encrypted === true)
      describe('encryption at rest', () => {
        const secret = `client-secret-${randomUUID()}`;
        const token = `access-token-${randomUUID()}`;
        const record: JsonObject = {
          variables: { client_id: 'app', client_secret: secret },
          values: { access_token: token, refresh_token: `refresh-${randomUUID()}` },
          note: 'ünïcödé',
        };

        it('round-trips values holding secrets through set/get, compare-and-set and take', async () => {
          const v1 = await store.set(k('creds'), record);
          expect(await store.get(k('creds'))).toEqual({ value: record, version: v1 });
          const next = { ...record, note: 'second' };
          await store.set(k('creds'), next, { ifVersion: v1 });
          expect((await store.get(k('creds')))?.value).toEqual(next);
          await store.set(k('pending'), { code_verifier: secret }, { ttlMs: 60_000, ifVersion: 0 });
          expect(await store.take(k('pending'))).toEqual({ code_verifier: secret });
        });

        const reopen = options.reopen;
        if (reopen !== undefined)
          it('rotates keys: records of an old key still decrypt, and their next write encrypts them with the new key', async () => {
            const oldKey: StoreEncryptionKey = { id: 'old', key: randomBytes(32) };
            const newKey: StoreEncryptionKey = { id: 'new', key: randomBytes(32) };
            const before = await reopen(store, [oldKey]);
            await before.set(k('a'), record);
            await before.set(k('b'), record);
            await before.close();

            const during = await reopen(store, [newKey, oldKey]);
            const read = await during.get(k('a'));
            expect(read?.value).toEqual(record);
            await during.set(k('a'), read!.value, { ifVersion: read!.version });
            await during.close();

            // Without the old key: only the record written again since can be read.
            const after = await reopen(store, [newKey]);
            try {
              expect((await after.get(k('a')))?.value).toEqual(record);
              const error = await after.get(k('b')).catch(caught);
              expect(SpliceError.is(error, 'DECRYPTION_FAILED')).toBe(true);
              expect((error as Error).message).toContain('"old"');
              expect((error as Error).message).not.toContain(secret);
            } finally {
              await after.close();
            }
          });

        const readRaw = options.readRaw;
        if (readRaw !== undefined)
          it('keeps no secret in clear text in the backend', async () => {
            await store.set(k('raw'), record);
            const raw = await readRaw(store, k('raw'));
            expect(raw).toBeDefined();
            const text = typeof raw === 'string' ? raw : Buffer.from(raw!).toString('latin1');
            expect(text).not.toContain(secret);
            expect(text).not.toContain(token);
            expect(text).not.toContain('client_secret');
            expect(text).not.toContain('ünïcödé');
          });
      });
  });
}

function caught(error: unknown): unknown {
  return error;
}
