import { type Credentials, type JsonObject, type Store, storeKeys } from '@splice/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadStoreProcessModule } from '../multiProcess/loadStoreProcessModule.js';
import { processCount } from '../multiProcess/processCount.js';
import type { RuntimeWorkerConfig, RuntimeWorkerReport } from '../multiProcess/runtimeWorker.js';
import { type ChildProcessChannel, startChildProcess } from '../multiProcess/startChildProcess.js';
import {
  METHOD_TIMEOUT_SECONDS,
  type OAuthWorld,
  startOAuthWorld,
  type TokenState,
} from '../multiProcess/startOAuthWorld.js';
import { storeProcessModuleUrl } from '../multiProcess/storeProcessModuleUrl.js';

/**
 * Options of {@link describeRuntimeOnStoreConformance}.
 *
 * @example
 * ```ts
 * const options: RuntimeOnStoreConformanceOptions = {
 *   module: new URL('./fixtures/redisStoreProcess.ts', import.meta.url),
 *   storeOptions: () => ({ prefix: `test:${randomUUID()}:`, encryption: { keys: [key] } }),
 * };
 * ```
 */
export interface RuntimeOnStoreConformanceOptions {
  /**
   * Path or file URL of the module every process imports: it exports `createStore(options)` and
   * `createAuthorizationCodeStrategy(options)`, and may export `createLimiterFactory(options)`
   * (see `StoreProcessModule`).
   */
  readonly module: string | URL;
  /**
   * JSON options for `createStore`, fresh for each test; every process of one test gets the
   * same. With `readAtRest`, they must configure an encryption key. The suite leaves what it
   * wrote in the backend: remove it after the run.
   */
  readonly storeOptions: () => JsonObject | Promise<JsonObject>;
  /**
   * Everything the backend holds for a store built with these options (file bytes, Redis keys
   * and values), as text. With it, the suite checks that no token and no client secret is there
   * in clear text after the refresh.
   */
  readonly readAtRest?: (storeOptions: JsonObject) => Promise<string>;
  /** Worker processes (default 4, at least 2). */
  readonly processes?: number;
  /** Concurrent `callEndpoint` per worker (default 250). */
  readonly callsPerProcess?: number;
  /** Timeout of each test in ms (default 240000). */
  readonly timeoutMs?: number;
}

/**
 * Registers vitest tests that run Splice the way an engine with several processes does: one
 * OAuth 2 instance on the shared store, worker processes each with their own runtime calling its
 * endpoint concurrently, against oidc-provider rotating refresh tokens on every use (a second use
 * of one is `invalid_grant`). They check SPEC §4 steps 4 and 5 across processes: with an expired
 * access token, exactly one refresh at the provider, no `invalid_grant`, every call succeeds, all
 * with the one new token, which is what the store holds (and, with `readAtRest`, only encrypted);
 * the same when only the API's 401 reveals a revoked token, and when every process's store fails
 * its first credentials write (the refresher's new credentials are still used and then saved); a worker killed while holding the
 * refresh lock delays the others only until its lease lapses, then exactly one refreshes; and,
 * when the module exports `createLimiterFactory`, that two processes share one rate limit; when it
 * exports `createClientCredentialsStrategy`, that an expired client-credentials token is renewed
 * with one token request for every process.
 *
 * @example
 * ```ts
 * import { describeRuntimeOnStoreConformance } from '@splice/testkit/conformance';
 * describeRuntimeOnStoreConformance('SqliteStore', {
 *   module: new URL('./fixtures/sqliteStoreProcess.ts', import.meta.url),
 *   storeOptions: () => ({ path: join(dir, `${randomUUID()}.db`), encryption: { keys: [key] } }),
 *   readAtRest: async ({ path }) => readFileSync(String(path), 'latin1'),
 * });
 * ```
 */
export function describeRuntimeOnStoreConformance(
  name: string,
  options: RuntimeOnStoreConformanceOptions,
): void {
  const processes = processCount(options.processes);
  const calls = options.callsPerProcess ?? 250;
  const moduleUrl = storeProcessModuleUrl(options.module);

  describe(`${name}: ${processes} runtime processes on one store, one OAuth 2 instance`, {
    timeout: options.timeoutMs ?? 240_000,
  }, async () => {
    // Loaded while the tests are collected: what the module exports decides which are registered.
    const module = await loadStoreProcessModule(moduleUrl, ['createAuthorizationCodeStrategy']);
    let world: OAuthWorld;
    let workers: ChildProcessChannel[] = [];
    beforeAll(async () => {
      world = await startOAuthWorld();
    }, 120_000);
    afterEach(async () => {
      await Promise.all(workers.map((w) => w.kill()));
      workers = [];
    });
    afterAll(async () => {
      await world?.close();
    });

    /**
     * Fresh store options with an instance whose token is left in `state`: an authorization-code
     * instance, or with `client`, a client-credentials one.
     */
    async function setUp(state: TokenState, client = false) {
      const storeOptions = await options.storeOptions();
      const store = await module.createStore(storeOptions);
      try {
        const authorized = client
          ? await world.addClientInstance(store, module, state)
          : await world.authorizeInstance(store, module, state);
        const config = {
          storeOptions,
          connector: client ? world.clientConnector : world.connector,
          instanceId: authorized.instanceId,
          endpointId: 'list-orders',
        };
        return { ...authorized, config };
      } finally {
        await store.close();
      }
    }

    async function startWorkers(
      count: number,
      config: Omit<RuntimeWorkerConfig, 'calls'> & { calls?: number },
    ): Promise<ChildProcessChannel[]> {
      const started = await Promise.all(
        Array.from({ length: count }, () =>
          startChildProcess('runtimeWorker', moduleUrl, { calls, ...config }),
        ),
      );
      workers.push(...started);
      return started;
    }

    /** Tells the workers to go at once and collects their reports. */
    function run(running: readonly ChildProcessChannel[]): Promise<RuntimeWorkerReport[]> {
      const reports = running.map((w) => w.next<RuntimeWorkerReport>('report'));
      for (const w of running) w.send({ type: 'go' });
      return Promise.all(reports);
    }

    /** Counters of the provider and the API from now on. */
    function counting() {
      const server = { ...world.server.counts };
      const api = { ...world.api.counts, requests: world.api.requests.length };
      return {
        refreshes: () => world.server.counts.refreshToken - server.refreshToken,
        clientCredentials: () => world.server.counts.clientCredentials - server.clientCredentials,
        invalidGrants: () => world.server.counts.invalidGrant - server.invalidGrant,
        tokenRequests: () => world.server.counts.tokenRequests - server.tokenRequests,
        rejectedByApi: () => world.api.counts.rejected - api.rejected,
        /** The bearer tokens of the requests the API accepted. */
        acceptedTokens: () =>
          new Set(
            world.api.requests
              .slice(api.requests)
              .filter((r) => r.accepted)
              .map((r) => r.headers['authorization']),
          ),
      };
    }

    function expectEverySuccess(reports: readonly RuntimeWorkerReport[], workerCount: number) {
      expect(reports.map((r) => r.failures)).toEqual(
        Array.from({ length: workerCount }, () => ({})),
      );
      expect(reports.reduce((sum, r) => sum + r.ok, 0)).toBe(workerCount * calls);
    }

    /**
     * Exactly one refresh (or, with `client`, one client-credentials grant) at the provider and no
     * `invalid_grant`; every accepted call carried the token of that renewal, and that is the
     * token the store holds. Returns what it holds.
     */
    async function expectOneRefreshForAll(
      counts: ReturnType<typeof counting>,
      config: { storeOptions: JsonObject; instanceId: string },
      firstAccessToken: string,
      client = false,
    ): Promise<Credentials['values']> {
      expect(client ? counts.clientCredentials() : counts.refreshes()).toBe(1);
      expect(counts.invalidGrants()).toBe(0);
      expect(counts.tokenRequests()).toBe(1);
      const store: Store = await module.createStore(config.storeOptions);
      try {
        const entry = await store.get(storeKeys.credentials(config.instanceId));
        const stored = (entry!.value as unknown as Credentials).values;
        expect(stored['access_token']).not.toBe(firstAccessToken);
        expect([...counts.acceptedTokens()]).toEqual([`Bearer ${stored['access_token']}`]);
        return stored;
      } finally {
        await store.close();
      }
    }

    it(`${processes} × ${calls} concurrent calls with an expired access token: one refresh at the provider, every call succeeds with the one new token`, async () => {
      const { config, firstAccessToken } = await setUp('expired');
      const counts = counting();
      const reports = await run(await startWorkers(processes, config));

      expectEverySuccess(reports, processes);
      const stored = await expectOneRefreshForAll(counts, config, firstAccessToken);

      const readAtRest = options.readAtRest;
      if (readAtRest !== undefined) {
        const text = await readAtRest(config.storeOptions);
        // The text is the backend's: the instance's keys are there.
        expect(text).toContain(config.instanceId);
        for (const secret of [
          stored['access_token']!,
          stored['refresh_token']!,
          world.clientSecret,
        ]) {
          expect(secret.length).toBeGreaterThan(8);
          expect(text).not.toContain(secret);
        }
      }
    });

    it(`${processes} × ${calls} concurrent calls with a token the provider revoked: the API says 401, one refresh, every call succeeds`, async () => {
      const { config, firstAccessToken } = await setUp('revoked');
      const counts = counting();
      const reports = await run(await startWorkers(processes, config));

      expectEverySuccess(reports, processes);
      // The stored token looked valid: the API refused it (401, invalid_token) before the refresh.
      expect(counts.rejectedByApi()).toBeGreaterThanOrEqual(1);
      await expectOneRefreshForAll(counts, config, firstAccessToken);
    });

    it(`${processes} × ${calls} concurrent calls with an expired access token, each process's store failing its first credentials write: one refresh, nothing lost, every call succeeds`, async () => {
      const { config, firstAccessToken } = await setUp('expired');
      const counts = counting();
      const reports = await run(
        await startWorkers(processes, { ...config, failCredentialsWrites: 1 }),
      );

      // The refresher's save failed after the provider rotated the refresh token: its callers
      // still got the new token, the others waited for its retried save instead of replaying the
      // spent refresh token (which oidc-provider would answer with invalid_grant and a revoked
      // grant), and the store ends up with the new credentials.
      expectEverySuccess(reports, processes);
      await expectOneRefreshForAll(counts, config, firstAccessToken);
    });

    it('a worker killed while holding the refresh lock does not block the others past its TTL', async () => {
      const { config } = await setUp('expired');
      const counts = counting();
      const [[doomed], others] = await Promise.all([
        startWorkers(1, { ...config, calls: 1, hangOnRefresh: true }),
        startWorkers(processes - 1, config),
      ]);
      let refreshedAt: number | undefined;
      const onGrant = (ctx: { oidc?: { params?: Record<string, unknown> } }): void => {
        if (ctx.oidc?.params?.['grant_type'] === 'refresh_token') refreshedAt ??= Date.now();
      };
      world.server.provider.on('grant.success', onGrant);
      try {
        // The doomed worker takes the refresh lock and starts its token request: kill it there.
        const refreshing = doomed!.next('refreshing');
        const goAt = Date.now();
        doomed!.send({ type: 'go' });
        await refreshing;
        await doomed!.kill();
        expect(counts.tokenRequests()).toBe(0);

        const reports = await run(others);
        expectEverySuccess(reports, processes - 1);
        expect(counts.refreshes()).toBe(1);
        expect(counts.invalidGrants()).toBe(0);
        // The dead worker took the lease after "go"; it lasts timeoutSeconds + 5 s. Nobody could
        // refresh before it lapsed: the others really waited for it, not ignored it.
        expect(refreshedAt! - goAt).toBeGreaterThanOrEqual(METHOD_TIMEOUT_SECONDS * 1000 + 5000);
      } finally {
        (world.server.provider as unknown as NodeJS.EventEmitter).off('grant.success', onGrant);
      }
    });

    it('a renewal made by one process is seen by another that cached the instance as reauthorization_required, with no store read on a healthy call', async () => {
      const { config } = await setUp('fresh');
      const store = await module.createStore(config.storeOptions);
      try {
        // Another process saw a dead grant and recorded it (compare-and-set, as the runtime does).
        const key = storeKeys.instance(config.instanceId);
        const entry = (await store.get(key))!;
        const dead = { ...(entry.value as JsonObject), status: 'reauthorization_required' };
        expect(await store.set(key, dead, { ifVersion: entry.version })).toBeDefined();

        const perRound = 5;
        // Long enough that one round of refused calls fits in one interval on any host.
        const statusRecheckMs = 1000;
        const [worker] = await startWorkers(1, {
          ...config,
          calls: perRound,
          rounds: 4,
          statusRecheckMs,
        });
        const round = async (): Promise<RuntimeWorkerReport> => {
          const report = worker!.next<RuntimeWorkerReport>('report');
          worker!.send({ type: 'go' });
          return report;
        };
        const counts = counting();
        const apiRequests = world.api.requests.length;

        // The worker loads the instance and caches it as needing re-authorization: every call is
        // refused without a request, with at most one record read per interval.
        const refused = await round();
        expect(refused).toMatchObject({ ok: 0, failures: { REAUTHORIZATION_REQUIRED: perRound } });
        const stillRefused = await round();
        expect(stillRefused).toMatchObject({
          ok: 0,
          failures: { REAUTHORIZATION_REQUIRED: perRound },
        });
        expect(stillRefused.storeGets).toBeLessThanOrEqual(1);
        expect(world.api.requests.length).toBe(apiRequests);

        // This process renews the instance: new consent, new tokens, status active.
        const renewedToken = await world.renewInstance(store, module, config.instanceId);

        // Once its interval has passed, the worker re-reads the record and calls again.
        await new Promise((resolve) => setTimeout(resolve, statusRecheckMs + 100));
        const renewed = await round();
        expect(renewed).toMatchObject({ ok: perRound, failures: {} });
        expect([...counts.acceptedTokens()]).toEqual([`Bearer ${renewedToken}`]);

        // Healthy again: the call path reads nothing from the store.
        const healthy = await round();
        expect(healthy).toMatchObject({ ok: perRound, failures: {}, storeGets: 0 });
      } finally {
        await store.close();
      }
    });

    // Registered only when the module offers the client-credentials strategy.
    if (typeof module.createClientCredentialsStrategy === 'function')
      it(`${processes} × ${calls} concurrent calls with an expired client-credentials token: one token request at the provider, every call succeeds with the one new token`, async () => {
        const { config, firstAccessToken } = await setUp('expired', true);
        const counts = counting();
        const reports = await run(await startWorkers(processes, config));

        expectEverySuccess(reports, processes);
        await expectOneRefreshForAll(counts, config, firstAccessToken, true);
      });

    // Registered only for stores whose module offers a shared limiter: a store without one has
    // nothing to prove here, and a skipped test would read as a missing service.
    if (typeof module.createLimiterFactory === 'function')
      it('2 workers with the shared limiter factory share the connector rate limit (server-side timestamps)', async () => {
        // A fresh token: no refresh inside the first limited call to skew the spacing.
        const { config } = await setUp('fresh');
        // 10 per second: the runtime spaces starts by 100 ms (bottleneck minTime).
        const connector = { ...world.connector, rateLimit: { amount: 10, unit: 'second' } };
        const perWorker = 8;
        const limited = await startWorkers(2, {
          ...config,
          connector,
          calls: perWorker,
          sharedLimiter: true,
          warmUp: true,
        });
        const first = world.apiArrivals.length;
        const reports = await run(limited);
        expect(reports.map((r) => r.failures)).toEqual([{}, {}]);
        const arrivals = world.apiArrivals.slice(first).sort((a, b) => a - b);
        expect(arrivals).toHaveLength(2 * perWorker);
        // One limit for both processes: 16 calls need 15 gaps of 100 ms; two separate limits would
        // run side by side in about 7. Two gaps of slack for scheduling jitter on a busy host.
        expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThanOrEqual((2 * perWorker - 3) * 100);
      });
  });
}
