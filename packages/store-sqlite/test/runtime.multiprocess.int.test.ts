import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SqliteStore, type SqliteStoreOptions } from '@splice/store-sqlite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  authorizeExpiredInstance,
  killWorkers,
  type OAuthWorld,
  runWorkers,
  startOAuthWorld,
  startWorker,
  type TokenState,
  type Worker,
  type WorkerConfig,
} from './fixtures/runtimeContention.js';

const modulePath = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'splice-sqlite-runtime-'));

describe('4 worker processes on one SQLite file, one OAuth 2 instance', () => {
  let world: OAuthWorld;
  let workers: Worker[] = [];
  beforeAll(async () => {
    world = await startOAuthWorld();
  }, 120_000);
  afterEach(async () => {
    await killWorkers(workers);
    workers = [];
  });
  afterAll(async () => {
    await world?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setUp(state: TokenState = 'expired'): Promise<Omit<WorkerConfig, 'calls'>> {
    const options = {
      path: join(dir, `${randomUUID()}.db`),
      encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
    };
    const store = new SqliteStore(options);
    const instanceId = await authorizeExpiredInstance(world, store, state);
    await store.close();
    return {
      store: { module: modulePath, export: 'SqliteStore', options },
      connector: world.connector,
      instanceId,
      endpointId: 'list-orders',
    };
  }

  it('4 × 250 concurrent calls with an expired access token: one refresh at the provider, 1,000 successes', {
    timeout: 240_000,
  }, async () => {
    const config = await setUp();
    const before = { ...world.server.counts };
    workers = await Promise.all(
      Array.from({ length: 4 }, () => startWorker({ ...config, calls: 250 })),
    );
    const reports = await runWorkers(workers);

    expect(reports.map((r) => r.failures)).toEqual([{}, {}, {}, {}]);
    expect(reports.reduce((sum, r) => sum + r.ok, 0)).toBe(1000);
    expect(world.server.counts.refreshToken - before.refreshToken).toBe(1);
    expect(world.server.counts.invalidGrant - before.invalidGrant).toBe(0);
    expect(world.server.counts.tokenRequests - before.tokenRequests).toBe(1);

    // What the file holds: the rotated tokens and the client secret only as ciphertext.
    const store = new SqliteStore(config.store.options as SqliteStoreOptions);
    const credentials = (await store.get<{ values: Record<string, string> }>(
      `credentials:${config.instanceId}`,
    ))!.value.values;
    await store.close();
    const path = (config.store.options as SqliteStoreOptions).path;
    const bytes = ['', '-wal']
      .map((suffix) =>
        existsSync(path + suffix) ? readFileSync(path + suffix).toString('latin1') : '',
      )
      .join('');
    expect(bytes).toContain('enc1.k1.');
    for (const secret of [
      credentials['access_token']!,
      credentials['refresh_token']!,
      world.clientSecret,
    ]) {
      expect(secret.length).toBeGreaterThan(8);
      expect(bytes).not.toContain(secret);
    }
  });

  it('4 × 250 concurrent calls with a token the provider revoked: the API says 401, one refresh, 1,000 successes', {
    timeout: 240_000,
  }, async () => {
    const config = await setUp('revoked');
    const before = { ...world.server.counts };
    const rejectedBefore = world.api.counts.rejected;
    workers = await Promise.all(
      Array.from({ length: 4 }, () => startWorker({ ...config, calls: 250 })),
    );
    const reports = await runWorkers(workers);

    expect(reports.map((r) => r.failures)).toEqual([{}, {}, {}, {}]);
    expect(reports.reduce((sum, r) => sum + r.ok, 0)).toBe(1000);
    // The stored token looked valid: the API refused it (401, invalid_token) before the refresh.
    expect(world.api.counts.rejected - rejectedBefore).toBeGreaterThanOrEqual(1);
    expect(world.server.counts.refreshToken - before.refreshToken).toBe(1);
    expect(world.server.counts.invalidGrant - before.invalidGrant).toBe(0);
    expect(world.server.counts.tokenRequests - before.tokenRequests).toBe(1);
  });

  it('a worker killed while holding the refresh lock does not block the others past its TTL', {
    timeout: 240_000,
  }, async () => {
    const config = await setUp();
    const before = { ...world.server.counts };
    const [doomed, ...others] = await Promise.all([
      startWorker({ ...config, calls: 1, hangOnRefresh: true }),
      ...Array.from({ length: 3 }, () => startWorker({ ...config, calls: 250 })),
    ]);
    workers = [doomed!, ...others];
    let refreshedAt: number | undefined;
    const onGrant = (ctx: { oidc?: { params?: Record<string, unknown> } }): void => {
      if (ctx.oidc?.params?.['grant_type'] === 'refresh_token') refreshedAt ??= Date.now();
    };
    world.server.provider.on('grant.success', onGrant);
    // The doomed worker takes the refresh lock and starts its token request: kill it there.
    const refreshing = doomed!.next('refreshing');
    const goAt = Date.now();
    doomed!.child.send('go');
    await refreshing;
    await killWorkers([doomed!]);
    expect(world.server.counts.tokenRequests - before.tokenRequests).toBe(0);

    const reports = await runWorkers(others);
    expect(reports.map((r) => r.failures)).toEqual([{}, {}, {}]);
    expect(reports.reduce((sum, r) => sum + r.ok, 0)).toBe(750);
    expect(world.server.counts.refreshToken - before.refreshToken).toBe(1);
    expect(world.server.counts.invalidGrant - before.invalidGrant).toBe(0);
    // The dead worker took the lease after "go"; it lasts timeoutSeconds (2) + 5 s. Nobody could
    // refresh before it lapsed — the others really waited for it rather than ignoring it.
    (world.server.provider as unknown as NodeJS.EventEmitter).off('grant.success', onGrant);
    expect(refreshedAt! - goAt).toBeGreaterThanOrEqual(7000);
  });
});
