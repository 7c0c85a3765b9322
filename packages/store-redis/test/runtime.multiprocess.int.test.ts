import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RedisStore } from '@splice/store-redis';
import { checkRedis } from '@splice/testkit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// The runtime-level harness is shared with the SQLite store's tests.
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
} from '../../store-sqlite/test/fixtures/runtimeContention.js';

const redis = await checkRedis();
const modulePath = fileURLToPath(new URL('../src/index.ts', import.meta.url));
const runPrefix = `splice-test:${randomUUID()}:`;

describe.skipIf(!redis.available)(
  `4 worker processes on one RedisStore, one OAuth 2 instance${redis.reason}`,
  () => {
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

    async function setUp(
      state: TokenState = 'expired',
    ): Promise<Omit<WorkerConfig, 'calls'> & { prefix: string }> {
      const options = {
        prefix: `${runPrefix}${randomUUID()}:`,
        encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
      };
      const store = new RedisStore(options);
      const instanceId = await authorizeExpiredInstance(world, store, state);
      await store.close();
      return {
        store: { module: modulePath, export: 'RedisStore', options },
        connector: world.connector,
        instanceId,
        endpointId: 'list-orders',
        prefix: options.prefix,
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

      // What Redis holds: the rotated tokens and the client secret only as ciphertext.
      const store = new RedisStore(config.store.options);
      const credentials = (await store.get<{ values: Record<string, string> }>(
        `credentials:${config.instanceId}`,
      ))!.value.values;
      await store.close();
      const admin = new Redis();
      const keys = await admin.keys(`${config.prefix}*`);
      const raw = (await Promise.all(keys.map((k) => admin.get(k).catch(() => '')))).join('\n');
      await admin.quit();
      expect(raw).toContain('enc1.k1.');
      for (const secret of [
        credentials['access_token']!,
        credentials['refresh_token']!,
        world.clientSecret,
      ]) {
        expect(secret.length).toBeGreaterThan(8);
        expect(raw).not.toContain(secret);
      }
    });

    it('2 workers with the Redis limiter factory share the connector rate limit (server-side timestamps)', {
      timeout: 240_000,
    }, async () => {
      // A fresh token: no refresh inside the first limited call to skew the spacing.
      const config = await setUp('fresh');
      const limiter = {
        module: modulePath,
        prefix: `${runPrefix}${randomUUID()}:`,
      };
      // 10 per second: the runtime spaces starts by 100 ms (bottleneck minTime).
      const connector = { ...world.connector, rateLimit: { amount: 10, unit: 'second' } };
      workers = await Promise.all(
        Array.from({ length: 2 }, () =>
          startWorker({ ...config, connector, calls: 8, redisLimiter: limiter, warmUp: true }),
        ),
      );
      const first = world.apiArrivals.length;
      const reports = await runWorkers(workers);
      expect(reports.map((r) => r.failures)).toEqual([{}, {}]);
      const arrivals = world.apiArrivals.slice(first).sort((a, b) => a - b);
      expect(arrivals).toHaveLength(16);
      // One limit for both processes: 16 calls need 15 gaps of 100 ms; two separate limits would
      // run side by side in about 7. Two gaps of slack for scheduling jitter on a busy host.
      expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual(1300);
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
  },
);
