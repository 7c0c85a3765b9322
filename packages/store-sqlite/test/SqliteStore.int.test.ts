import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpliceError, type StoreEncryptionKey } from '@splice/core';
import { SqliteStore } from '@splice/store-sqlite';
import { describeStoreConformance } from '@splice/testkit/conformance';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'splice-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (): string => join(dir, `${randomUUID()}.db`);
const key = (id: string): StoreEncryptionKey => ({ id, key: randomBytes(32) });

/** The bytes at rest: the database file and its write-ahead log (where fresh commits live). */
function bytesAtRest(path: string): string {
  const parts = [path, `${path}-wal`].map((p) => {
    try {
      return readFileSync(p).toString('latin1');
    } catch {
      return '';
    }
  });
  return parts.join('');
}

function rawValue(path: string, storeKey: string): string | undefined {
  const db = new Database(path, { readonly: true });
  try {
    const row = db.prepare('SELECT value FROM splice_entries WHERE key = ?').get(storeKey) as
      | { value: string }
      | undefined;
    return row?.value;
  } finally {
    db.close();
  }
}

const paths = new WeakMap<object, string>();
function open(options: Omit<ConstructorParameters<typeof SqliteStore>[0], 'path'> = {}) {
  const path = file();
  const store = new SqliteStore({ path, ...options });
  paths.set(store, path);
  return store;
}

describeStoreConformance('SqliteStore', () => open({ encryption: false }));
describeStoreConformance(
  'SqliteStore, in memory',
  () => new SqliteStore({ path: ':memory:', encryption: false }),
);
describeStoreConformance(
  'SqliteStore, encrypted',
  () => open({ encryption: { keys: [key('k1')] } }),
  {
    encrypted: true,
    readRaw: async (store, storeKey) => rawValue(paths.get(store)!, storeKey),
    reopen: (store, keys) => new SqliteStore({ path: paths.get(store)!, encryption: { keys } }),
  },
);

describe('SqliteStore', () => {
  const secret = `client-secret-${randomUUID()}`;
  const token = `access-token-${randomUUID()}`;
  const record = {
    variables: { client_id: 'app', client_secret: secret },
    credentials: { access_token: token },
  };

  it('keeps no client secret or token in clear text in the database file or its WAL', async () => {
    const path = file();
    const store = new SqliteStore({ path, encryption: { keys: [key('k1')] } });
    await store.set('instance:i1', record);
    await store.set('pending:state1', { code_verifier: secret }, { ttlMs: 60_000 });
    await store.close();
    const bytes = bytesAtRest(path);
    expect(bytes).toContain('instance:i1'); // the test reads the right file
    expect(bytes).not.toContain(secret);
    expect(bytes).not.toContain(token);
  });

  it('stores values in clear text without a key (the check above can fail)', async () => {
    const path = file();
    const store = new SqliteStore({ path, encryption: false });
    await store.set('instance:i1', record);
    await store.close();
    expect(bytesAtRest(path)).toContain(secret);
  });

  it('survives a reopen: values, versions and fencing tokens persist', async () => {
    const path = file();
    const first = new SqliteStore({ path, encryption: false });
    await first.set('k', { a: 1 });
    await first.set('k', { a: 2 });
    const lease = await first.acquireLease('lock', 60_000);
    await lease!.release();
    await first.close();
    const second = new SqliteStore({ path, encryption: false });
    expect(await second.get('k')).toEqual({ value: { a: 2 }, version: 2 });
    const next = await second.acquireLease('lock', 60_000);
    expect(next!.fencingToken).toBeGreaterThan(lease!.fencingToken);
    await second.close();
  });

  it('reports a tampered row as DECRYPTION_FAILED, and take does not lose it', async () => {
    const path = file();
    const store = new SqliteStore({ path, encryption: { keys: [key('k1')] } });
    await store.set('pending:s', { code_verifier: secret });
    const db = new Database(path);
    const raw = rawValue(path, 'pending:s')!;
    const tampered = `${raw.slice(0, -2)}${raw.endsWith('AA') ? 'BB' : 'AA'}`;
    db.prepare('UPDATE splice_entries SET value = ? WHERE key = ?').run(tampered, 'pending:s');
    db.close();
    const error = await store.take('pending:s').catch((e: unknown) => e);
    expect(SpliceError.is(error, 'DECRYPTION_FAILED')).toBe(true);
    expect((error as Error).message).toContain('"k1"');
    expect(rawValue(path, 'pending:s')).toBe(tampered);
    await store.close();
  });

  it('creates the file readable by its owner only', async () => {
    const path = join(dir, 'nested', 'deeper', `${randomUUID()}.db`);
    const store = new SqliteStore({ path, encryption: false });
    await store.close();
    expect(statSync(path).mode & 0o077).toBe(0);
  });

  it('refuses to start with require: true and no key, before creating a file', () => {
    const path = file();
    expect(() => new SqliteStore({ path, encryption: { require: true } })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
    expect(() => statSync(path)).toThrow();
  });

  it('rejects bad options with coded TypeErrors', () => {
    for (const options of [
      { path: '' },
      { path: 42 },
      { path: file(), busyTimeoutMs: -1 },
      { path: file(), purgeIntervalMs: 1.5 },
      { path: file(), encryption: { keys: [{ id: 'k', key: randomBytes(31) }] } },
    ]) {
      expect(() => new SqliteStore(options as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
  });

  it('fails with STORE_UNAVAILABLE after close', async () => {
    const store = open({ encryption: false });
    await store.close();
    await store.close();
    const error = await store.get('k').catch((e: unknown) => e);
    expect(SpliceError.is(error, 'STORE_UNAVAILABLE')).toBe(true);
  });

  it('fails with STORE_UNAVAILABLE when another connection holds the write lock past busyTimeoutMs', async () => {
    const path = file();
    const store = new SqliteStore({ path, encryption: false, busyTimeoutMs: 50 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const error = await store.set('k', 1).catch((e: unknown) => e);
      expect(SpliceError.is(error, 'STORE_UNAVAILABLE')).toBe(true);
      expect((error as Error).message).toContain('busyTimeoutMs');
      // Reads are not blocked by a writer in WAL mode.
      expect(await store.get('k')).toBeUndefined();
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await store.set('k', 1)).toBe(1);
    await store.close();
  });

  it('uses WAL mode', async () => {
    const path = file();
    const store = new SqliteStore({ path, encryption: false });
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    await store.close();
  });
});
