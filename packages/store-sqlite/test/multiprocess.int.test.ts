import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeMultiProcessStoreConformance,
  describeRuntimeOnStoreConformance,
} from '@splice/testkit/conformance';
import { afterAll } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'splice-sqlite-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const module = new URL('./fixtures/sqliteStoreProcess.ts', import.meta.url);
// A new file per test: the processes of a test share it.
const storeOptions = () => ({
  path: join(dir, `${randomUUID()}.db`),
  encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
});

describeMultiProcessStoreConformance('SqliteStore on one file', { module, storeOptions });
describeRuntimeOnStoreConformance('SqliteStore on one file', {
  module,
  storeOptions,
  // The database file and its write-ahead log, where fresh commits live.
  readAtRest: async ({ path }) =>
    ['', '-wal']
      .map((suffix) => `${String(path)}${suffix}`)
      .map((file) => (existsSync(file) ? readFileSync(file).toString('latin1') : ''))
      .join(''),
});
