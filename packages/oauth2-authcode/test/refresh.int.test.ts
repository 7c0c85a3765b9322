import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Credentials,
  type InstanceContext,
  type JsonObject,
  MemoryStore,
  storeKeys,
} from '@splice/core';
import { createFaultyStore, type ProviderSimulator, startProviderSimulator } from '@splice/testkit';
import { createStrategyHarness } from '@splice/testkit/conformance';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { oauth2AuthorizationCode } from '../src/index.js';
import { rejectionOf, type SimulatedOptions, simulated } from './simulated.js';
import { Audit, CALLBACK, oauthConnector, spans } from './support.js';

const audit = new Audit();
let clock = Date.now();
const now = (): number => clock;
let sim: ProviderSimulator;
const HOUR = 3600_000;

beforeAll(async () => {
  sim = await startProviderSimulator({ redirectUris: [CALLBACK], now });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.setQuirks({
    rotateRefreshTokens: true,
    omitRefreshTokenOnRefresh: false,
    separateRefreshUrl: false,
    refreshGrantParam: 'grant_type',
    expiredTokenResponse: 401,
    errorsWithStatus200: false,
    tokenLatencyMs: 0,
    failNextTokenRequests: 0,
    failStatus: 503,
    retryAfterSeconds: undefined,
    accessTokenTtlSeconds: 3600,
    expiry: 'number',
  });
  sim.resetCounts();
});

/** An authorized instance on the fake clock. */
async function authorized(settings: SimulatedOptions = {}) {
  const harness = simulated(sim, audit, { now, ...settings });
  const result = await harness.authorize();
  audit.credentials(result.credentials);
  // Count only what happens after the authorization.
  sim.resetCounts();
  return { harness, ...result };
}

async function stored(ctx: InstanceContext): Promise<Credentials> {
  const entry = await ctx.store.get(storeKeys.credentials(ctx.instance.id));
  return entry?.value as unknown as Credentials;
}

async function callApi(
  token: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const response = await request(`${sim.apiUrl}/orders`, {
    headers: { authorization: `Bearer ${token}` },
  });
  await response.body.dump();
  return { status: response.statusCode, headers: response.headers };
}

describe('getCredentials', () => {
  it('serves fresh credentials from cache with no request', async () => {
    const { harness, ctx, credentials } = await authorized();
    for (let i = 0; i < 10; i += 1)
      expect((await harness.strategy.getCredentials(ctx)).values).toEqual(credentials.values);
    expect(sim.counts.refreshToken).toBe(0);
  });

  it('refreshes inside the 60 s skew and persists the rotated refresh token before returning', async () => {
    const { harness, ctx, credentials } = await authorized();
    await harness.strategy.getCredentials(ctx);
    clock += HOUR - 59_000;
    const next = await harness.strategy.getCredentials(ctx);
    audit.credentials(next);
    expect(sim.counts.refreshToken).toBe(1);
    expect(next.values['access_token']).not.toBe(credentials.values['access_token']);
    expect(next.values['refresh_token']).not.toBe(credentials.values['refresh_token']);
    expect((await stored(ctx)).values).toEqual(next.values);
    const refresh = sim.requests.find((r) => r.grant === 'refresh_token');
    expect(refresh?.params).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: '[redacted]',
    });
    expect(sim.counts.invalidGrant).toBe(0);
    expect((await callApi(next.values['access_token']!)).status).toBe(200);
  });

  it('does not refresh outside the skew, and honours refreshSkewSeconds', async () => {
    const { harness, ctx } = await authorized();
    clock += HOUR - 90_000;
    await harness.strategy.getCredentials(ctx);
    expect(sim.counts.refreshToken).toBe(0);
    const wide = await authorized({ options: { refreshSkewSeconds: 120 } });
    clock += HOUR - 90_000;
    audit.credentials(await wide.harness.strategy.getCredentials(wide.ctx));
    expect(sim.counts.refreshToken).toBe(1);
  });

  it('does not refresh a token shorter-lived than the skew on every call', async () => {
    sim.setQuirks({ accessTokenTtlSeconds: 30 });
    try {
      const { harness, ctx, credentials } = await authorized();
      for (let i = 0; i < 5; i += 1) await harness.strategy.getCredentials(ctx);
      expect(sim.counts.refreshToken).toBe(0);
      clock += 16_000;
      const next = await harness.strategy.getCredentials(ctx);
      audit.credentials(next);
      expect(next.values['access_token']).not.toBe(credentials.values['access_token']);
      for (let i = 0; i < 5; i += 1) await harness.strategy.getCredentials(ctx);
      expect(sim.counts.refreshToken).toBe(1);
    } finally {
      sim.setQuirks({ accessTokenTtlSeconds: 3600 });
    }
  });

  it('throws REAUTHORIZATION_REQUIRED for an expired token without a refresh token', async () => {
    const { harness, ctx, credentials } = await authorized();
    const { refresh_token: _dropped, ...values } = credentials.values;
    await ctx.store.set(storeKeys.credentials(ctx.instance.id), {
      ...credentials,
      values,
    } as unknown as JsonObject);
    harness.strategy.forget!(ctx.instance.id);
    clock += HOUR + 1;
    const error = await rejectionOf(harness.strategy.getCredentials(ctx));
    expect(error.code).toBe('REAUTHORIZATION_REQUIRED');
    expect(sim.counts.token).toBe(0);
  });

  it('uses an unexpired token inside the skew without a refresh token', async () => {
    const { harness, ctx, credentials } = await authorized();
    const { refresh_token: _dropped, ...values } = credentials.values;
    await ctx.store.set(storeKeys.credentials(ctx.instance.id), {
      ...credentials,
      values,
    } as unknown as JsonObject);
    harness.strategy.forget!(ctx.instance.id);
    clock += HOUR - 30_000;
    expect((await harness.strategy.getCredentials(ctx)).values['access_token']).toBe(
      values['access_token'],
    );
  });

  it('keeps using the unexpired token when a proactive refresh fails transiently', async () => {
    const { harness, ctx, credentials } = await authorized({ options: { retries: 0 } });
    clock += HOUR - 30_000;
    sim.setQuirks({ failNextTokenRequests: 1 });
    const current = await harness.strategy.getCredentials(ctx);
    expect(current.values['access_token']).toBe(credentials.values['access_token']);
    expect(audit.lines.some((l) => l.message.includes('proactive refresh failed'))).toBe(true);
    clock += 31_000;
    sim.setQuirks({ failNextTokenRequests: 1 });
    expect((await rejectionOf(harness.strategy.getCredentials(ctx))).code).toBe(
      'TOKEN_REQUEST_FAILED',
    );
  });

  it('refuses an instance marked reauthorization_required and malformed stored credentials', async () => {
    const { harness, ctx } = await authorized();
    harness.strategy.forget!(ctx.instance.id);
    const marked = {
      ...ctx,
      instance: { ...ctx.instance, status: 'reauthorization_required' as const },
    };
    expect((await rejectionOf(harness.strategy.getCredentials(marked))).code).toBe(
      'REAUTHORIZATION_REQUIRED',
    );
    await ctx.store.set(storeKeys.credentials(ctx.instance.id), { values: { token: 'x' } });
    expect((await rejectionOf(harness.strategy.getCredentials(ctx))).code).toBe(
      'CREDENTIALS_INVALID',
    );
    await ctx.store.delete(storeKeys.credentials(ctx.instance.id));
    expect((await rejectionOf(harness.strategy.getCredentials(ctx))).code).toBe(
      'REAUTHORIZATION_REQUIRED',
    );
  });
});

describe('refresh', () => {
  it('posts to the reauthenticate URL with the configured refresh grant parameter', async () => {
    sim.setQuirks({ separateRefreshUrl: true, refreshGrantParam: 'refresh_grant_type' });
    const { harness, ctx, credentials } = await authorized({
      urls: {
        authorise: sim.authorizationUrl,
        token: sim.tokenUrl,
        reauthenticate: sim.refreshUrl,
      },
      values: { refresh_grant_type_key: 'refresh_grant_type' },
    });
    audit.credentials(await harness.strategy.refresh!(ctx, credentials));
    expect(sim.counts.refreshPath).toBe(1);
    expect(sim.counts.refreshToken).toBe(1);
    const refresh = sim.requests.find((r) => r.path === '/refresh');
    expect(refresh?.params['refresh_grant_type']).toBe('refresh_token');
    expect(refresh?.params['grant_type']).toBeUndefined();
  });

  it('keeps the refresh token when rotation is off or the response omits it', async () => {
    sim.setQuirks({ rotateRefreshTokens: false });
    const a = await authorized();
    const first = await a.harness.strategy.refresh!(a.ctx, a.credentials);
    expect(first.values['refresh_token']).toBe(a.credentials.values['refresh_token']);

    sim.setQuirks({ omitRefreshTokenOnRefresh: true });
    const second = await a.harness.strategy.refresh!(a.ctx, first);
    audit.credentials(first);
    audit.credentials(second);
    expect(second.values['refresh_token']).toBe(a.credentials.values['refresh_token']);
    expect((await stored(a.ctx)).values['refresh_token']).toBe(
      a.credentials.values['refresh_token'],
    );
    expect(sim.counts.refreshToken).toBe(2);
  });

  it('replays an endpoint call once after a 401 with WWW-Authenticate: Bearer error="invalid_token"', async () => {
    const { harness, ctx, credentials } = await authorized();
    sim.expireAccessTokens();
    const refused = await callApi(credentials.values['access_token']!);
    expect(refused.status).toBe(401);
    expect(harness.strategy.isExpiredResponse!(ctx, refused)).toBe(true);
    const next = await harness.strategy.refresh!(ctx, credentials);
    audit.credentials(next);
    expect((await callApi(next.values['access_token']!)).status).toBe(200);
    expect(sim.counts.refreshToken).toBe(1);
  });

  it('treats 403 as expired when expired_token_statuses says so', async () => {
    sim.setQuirks({ expiredTokenResponse: 403 });
    const { harness, ctx, credentials } = await authorized({
      values: { expired_token_statuses: '401,403' },
    });
    sim.expireAccessTokens();
    const refused = await callApi(credentials.values['access_token']!);
    expect(refused.status).toBe(403);
    expect(harness.strategy.isExpiredResponse!(ctx, refused)).toBe(true);
    const plain = await authorized();
    expect(plain.harness.strategy.isExpiredResponse!(plain.ctx, refused)).toBe(false);
  });

  it('cannot see an expired token behind a 200 with an error body (status and headers only)', async () => {
    sim.setQuirks({ expiredTokenResponse: '200-error' });
    const { harness, ctx, credentials } = await authorized();
    sim.expireAccessTokens();
    const refused = await callApi(credentials.values['access_token']!);
    expect(refused.status).toBe(200);
    expect(harness.strategy.isExpiredResponse!(ctx, refused)).toBe(false);
    expect(sim.counts.apiRejected).toBe(1);
  });

  it('uses credentials another caller already stored, with no request', async () => {
    const { harness, ctx, credentials } = await authorized();
    const other = await harness.strategy.refresh!(ctx, credentials);
    audit.credentials(other);
    harness.strategy.forget!(ctx.instance.id);
    const again = await harness.strategy.refresh!(ctx, credentials);
    expect(again.values).toEqual(other.values);
    expect(sim.counts.refreshToken).toBe(1);
  });

  it('turns invalid_grant on an unchanged refresh token into REAUTHORIZATION_REQUIRED', async () => {
    const { harness, ctx, credentials } = await authorized();
    sim.revokeRefreshTokens();
    const error = await rejectionOf(harness.strategy.refresh!(ctx, credentials));
    expect(error.code).toBe('REAUTHORIZATION_REQUIRED');
    expect(sim.counts.invalidGrant).toBe(1);
    expect((await stored(ctx)).values).toEqual(credentials.values);
  });

  it('reads invalid_grant from a 200 error body too', async () => {
    sim.setQuirks({ errorsWithStatus200: true });
    const { harness, ctx, credentials } = await authorized();
    sim.revokeRefreshTokens();
    expect((await rejectionOf(harness.strategy.refresh!(ctx, credentials))).code).toBe(
      'REAUTHORIZATION_REQUIRED',
    );
  });

  it('adopts the credentials stored after posting an unsaved refresh token', async () => {
    // Another process (its lease lapsed) refreshes between our lock and our request: our
    // refresh token is then used up, the provider says invalid_grant, and the store has theirs.
    const store = new MemoryStore();
    let interleave: (() => Promise<void>) | undefined;
    const racing = await startProviderSimulator({
      redirectUris: [CALLBACK],
      beforeTokenRequest: async (grant) => {
        if (grant !== 'refresh_token' || interleave === undefined) return;
        const run = interleave;
        interleave = undefined;
        await run();
      },
    });
    try {
      const ours = simulated(racing, audit, { store });
      const { ctx, credentials } = await ours.authorize();
      audit.credentials(credentials);
      const theirs = createStrategyHarness({
        strategy: audit.watch(oauth2AuthorizationCode()),
        connector: oauthConnector({ authorise: racing.authorizationUrl, token: racing.tokenUrl }),
        values: { client_id: racing.clientId, client_secret: racing.clientSecret },
        store: {
          ...bind(store),
          acquireLease: async (key: string, ttl: number) =>
            (await store.acquireLease(`${key}:lapsed`, ttl)) ?? undefined,
        },
        callbackUrl: CALLBACK,
      });
      let winner: Credentials | undefined;
      interleave = async () => {
        winner = await theirs.strategy.refresh!(theirs.instanceContext(ctx.instance), credentials);
        audit.credentials(winner);
      };
      const result = await ours.strategy.refresh!(ctx, credentials);
      expect(winner).toBeDefined();
      expect(result.values).toEqual(winner?.values);
      expect(racing.counts.refreshToken).toBe(1);
      expect(racing.counts.invalidGrant).toBe(1);
    } finally {
      await racing.close();
    }
  });

  it('does not overwrite credentials written during the refresh (compare-and-set)', async () => {
    const store = new MemoryStore();
    let write: (() => Promise<void>) | undefined;
    const racing = await startProviderSimulator({
      redirectUris: [CALLBACK],
      beforeTokenRequest: async () => {
        const run = write;
        write = undefined;
        await run?.();
      },
    });
    try {
      const harness = simulated(racing, audit, { store });
      const { ctx, credentials } = await harness.authorize();
      audit.credentials(credentials);
      const reauthorized: Credentials = {
        values: {
          access_token: 'reauthorized-access',
          refresh_token: 'reauthorized-refresh',
          token_type: 'Bearer',
        },
        obtainedAt: Date.now(),
        expiresAt: Date.now() + HOUR,
      };
      audit.credentials(reauthorized);
      write = async () => {
        await store.set(
          storeKeys.credentials(ctx.instance.id),
          reauthorized as unknown as JsonObject,
        );
      };
      const result = await harness.strategy.refresh!(ctx, credentials);
      expect(result.values).toEqual(reauthorized.values);
      expect((await stored(ctx)).values).toEqual(reauthorized.values);
      expect(racing.counts.refreshToken).toBe(1);
    } finally {
      await racing.close();
    }
  });

  it('waits for another process holding the lock and uses what it stored', async () => {
    const { harness, ctx, credentials } = await authorized();
    const lease = await ctx.store.acquireLease(storeKeys.refreshLock(ctx.instance.id), 30_000);
    expect(lease).toBeDefined();
    const next: Credentials = {
      values: {
        access_token: 'from-other-process',
        refresh_token: 'rt-other-process',
        token_type: 'Bearer',
      },
      obtainedAt: clock,
      expiresAt: clock + HOUR,
    };
    audit.credentials(next);
    setTimeout(() => {
      void ctx.store
        .set(storeKeys.credentials(ctx.instance.id), next as unknown as JsonObject)
        .then(() => lease?.release());
    }, 100);
    const result = await harness.strategy.refresh!(ctx, credentials);
    expect(result.values).toEqual(next.values);
    expect(sim.counts.token).toBe(0);
  });

  it('gives up with TIMEOUT when another holder keeps the lock', async () => {
    const { harness, ctx, credentials } = await authorized({ options: { lockWaitMs: 150 } });
    const lease = await ctx.store.acquireLease(storeKeys.refreshLock(ctx.instance.id), 30_000);
    const error = await rejectionOf(harness.strategy.refresh!(ctx, credentials));
    expect(error.code).toBe('TIMEOUT');
    expect(sim.counts.token).toBe(0);
    await lease?.release();
  });

  it('refreshes once for two processes sharing a store', async () => {
    const store = new MemoryStore();
    sim.setQuirks({ tokenLatencyMs: 50 });
    const one = simulated(sim, audit, { store, now });
    const two = simulated(sim, audit, { store, now });
    const { ctx, credentials } = await one.authorize();
    audit.credentials(credentials);
    clock += HOUR + 1;
    const [a, b] = await Promise.all([
      one.strategy.getCredentials(ctx),
      two.strategy.getCredentials(two.instanceContext(ctx.instance)),
    ]);
    audit.credentials(a);
    expect(a.values).toEqual(b.values);
    expect(a.values['access_token']).not.toBe(credentials.values['access_token']);
    expect(sim.counts.refreshToken).toBe(1);
    expect(sim.counts.invalidGrant).toBe(0);
  });

  it('serves 500 concurrent callers of an expired instance with exactly one refresh', async () => {
    sim.setQuirks({ tokenLatencyMs: 30 });
    const { harness, ctx, credentials } = await authorized();
    clock += HOUR + 1;
    const results = await Promise.all(
      Array.from({ length: 500 }, () => harness.strategy.getCredentials(ctx)),
    );
    audit.credentials(results[0]!);
    const tokens = new Set(results.map((r) => r.values['access_token']));
    expect(tokens.size).toBe(1);
    expect(tokens.has(credentials.values['access_token'])).toBe(false);
    expect(sim.counts.refreshToken).toBe(1);
    expect(sim.counts.token).toBe(1);
    expect((await stored(ctx)).values['access_token']).toBe(results[0]!.values['access_token']);
  });

  it('records refresh spans with ids, status, attempts and outcome only', async () => {
    const { harness, ctx, credentials } = await authorized();
    spans().reset();
    audit.credentials(await harness.strategy.refresh!(ctx, credentials));
    const span = spans()
      .getFinishedSpans()
      .find((s) => s.name === 'splice.token.refresh');
    expect(span?.attributes).toMatchObject({
      'splice.instance.id': ctx.instance.id,
      'splice.connector.id': 'acme',
      'splice.auth_method.id': 'acme-oauth',
      'http.response.status_code': 200,
      'splice.attempts': 1,
      'splice.refresh.outcome': 'refreshed',
    });
  });
});

// A MemoryStore's methods bound to it, to build a store that differs in one method.
function bind(store: MemoryStore) {
  return {
    get: store.get.bind(store),
    set: store.set.bind(store),
    take: store.take.bind(store),
    delete: store.delete.bind(store),
    keys: store.keys.bind(store),
    acquireLease: store.acquireLease.bind(store),
    close: store.close.bind(store),
  };
}

// Durability: a store write failing or stalling right after the provider answered (the
// testkit's faulty store, only for faults a real store cannot produce on cue), and the refresh
// budget.
/** Polls until the store holds `credentials` (the background write landed). */
async function untilStored(ctx: InstanceContext, credentials: Credentials): Promise<void> {
  while ((await stored(ctx))?.values['refresh_token'] !== credentials.values['refresh_token'])
    await sleep(20);
}

describe('a store write failing right after the provider answered a refresh', () => {
  for (const [name, ahead] of [
    ['an expired token', HOUR + 1],
    ['a proactive refresh inside the skew', HOUR - 30_000],
  ] as const) {
    it(`${name}: the caller gets the new token, the save is retried, the rotated refresh token is never lost`, async () => {
      const store = createFaultyStore(new MemoryStore());
      const harness = simulated(sim, audit, { store, now });
      const { ctx, credentials } = await harness.authorize();
      audit.credentials(credentials);
      sim.resetCounts();
      store.arm({ keyPrefix: 'credentials:', times: 2 });
      clock += ahead;
      const next = await harness.strategy.getCredentials(ctx);
      audit.credentials(next);
      expect(sim.counts.refreshToken).toBe(1);
      expect(next.values['access_token']).not.toBe(credentials.values['access_token']);
      expect(sim.verifyAccessToken(next.values['access_token']!)).toBe(true);
      // Before the write lands, this process keeps using the successor: no second refresh.
      expect((await harness.strategy.getCredentials(ctx)).values).toEqual(next.values);
      await untilStored(ctx, next);
      expect(store.faults).toBe(2);
      expect((await stored(ctx)).values).toEqual(next.values);
      // The next refresh presents the rotated refresh token: it works, no invalid_grant.
      clock += HOUR + 1;
      const after = await harness.strategy.getCredentials(ctx);
      audit.credentials(after);
      expect(after.values['access_token']).not.toBe(next.values['access_token']);
      expect(sim.counts.refreshToken).toBe(2);
      expect(sim.counts.invalidGrant).toBe(0);
      harness.strategy.close?.();
    });
  }
});

describe('closing with credentials still unsaved', () => {
  it('close() waits for the retried write to land when the store comes back', async () => {
    const store = createFaultyStore(new MemoryStore());
    const harness = simulated(sim, audit, { store, now });
    const { ctx, credentials } = await harness.authorize();
    audit.credentials(credentials);
    store.arm({ keyPrefix: 'credentials:', times: Number.POSITIVE_INFINITY });
    clock += HOUR + 1;
    const next = await harness.strategy.getCredentials(ctx);
    audit.credentials(next);
    expect((await stored(ctx)).values).toEqual(credentials.values);
    // The store comes back while the strategy is closing (an engine shutting down).
    const closing = harness.strategy.close!();
    store.arm({ keyPrefix: 'credentials:', times: 0 });
    await closing;
    expect((await stored(ctx)).values).toEqual(next.values);
  });
});

/**
 * Two strategy instances (two processes) on one store, the token expired. Process one refreshes
 * and stalls writing what the provider answered; its lease lapses; process two then refreshes.
 */
async function stalledHolder() {
  let storeClock = Date.now();
  const shared = new MemoryStore({ now: () => storeClock });
  const slow = createFaultyStore(shared);
  const one = simulated(sim, audit, { store: slow, now });
  // Waits 2 s for an unsettled earlier refresh (one backoff step: retryMaxDelayMs).
  const two = simulated(sim, audit, {
    store: shared,
    now,
    options: { lockWaitMs: 10_000, retryMaxDelayMs: 2000 },
  });
  const { ctx, credentials } = await one.authorize();
  audit.credentials(credentials);
  sim.resetCounts();
  slow.arm({ keyPrefix: 'credentials:', kind: 'stall' });
  clock += HOUR + 1;
  const first = one.strategy.getCredentials(ctx);
  await slow.stalled();
  // The provider answered process one; the store's clock passes every lease (timeout + 5 s).
  storeClock += 60_000;
  const second = two.strategy.getCredentials(two.instanceContext(ctx.instance));
  return { shared, slow, ctx, first, second };
}

describe('lease lapse (a holder stalls past its lease while writing)', () => {
  it('the second process waits for the stalled holder and adopts its successor, sending nothing', async () => {
    const { shared, slow, ctx, first, second } = await stalledHolder();
    // Process two holds the lapsed lease and has declared its refresh (fencing token 2).
    const intent = storeKeys.refreshIntent(ctx.instance.id);
    while ((await shared.get<JsonObject>(intent))?.value['fencingToken'] !== 2) await sleep(10);
    slow.release();
    const [a, b] = await Promise.all([first, second]);
    audit.credentials(a);
    expect(b.values).toEqual(a.values);
    expect(sim.requests.filter((r) => r.grant === 'refresh_token')).toHaveLength(1);
    expect(sim.counts.invalidGrant).toBe(0);
    expect(await shared.get(intent)).toBeUndefined();
  });

  it('a holder stalled past the wait: invalid_grant of the second holder is not judged a dead grant, it adopts the successor', async () => {
    const { slow, ctx, first, second } = await stalledHolder();
    while (sim.counts.invalidGrant < 1) await sleep(10);
    slow.release();
    const [a, b] = await Promise.all([first, second]);
    audit.credentials(a);
    expect(b.values).toEqual(a.values);
    expect((await stored(ctx)).values).toEqual(a.values);
    // Process one's refresh answered; process two's, with the spent refresh token, refused.
    expect(sim.requests.filter((r) => r.grant === 'refresh_token')).toHaveLength(2);
    expect(sim.counts.invalidGrant).toBe(1);
  });

  it('fencing: a lapsed holder late write loses to a later holder settled write', async () => {
    sim.setQuirks({ rotateRefreshTokens: false });
    const { slow, ctx, first, second } = await stalledHolder();
    const b = await second;
    audit.credentials(b);
    slow.release();
    const a = await first;
    expect(a.values).toEqual(b.values);
    expect((await stored(ctx)).values).toEqual(b.values);
  });
});

describe('refresh budget (refresh amplification)', () => {
  for (const [name, quirks] of [
    ['expires_in: 0', { accessTokenTtlSeconds: 0 }],
    ['an expires_at in the past', { expiry: 'expires_at', accessTokenTtlSeconds: -600 }],
  ] as const) {
    it(`${name}: 20 waves of 50 concurrent callers send at most 5 refreshes, then REFRESH_LIMITED`, async () => {
      const harness = simulated(sim, audit, { now });
      const { ctx, credentials } = await harness.authorize();
      audit.credentials(credentials);
      sim.setQuirks(quirks);
      sim.resetCounts();
      clock += HOUR + 1;
      const codes = new Set<string>();
      for (let wave = 0; wave < 20; wave++) {
        const results = await Promise.allSettled(
          Array.from({ length: 50 }, () => harness.strategy.getCredentials(ctx)),
        );
        for (const result of results) {
          if (result.status === 'fulfilled') audit.credentials(result.value);
          else codes.add((result.reason as { code?: string }).code ?? 'none');
        }
      }
      expect(sim.counts.refreshToken).toBe(5);
      expect([...codes]).toEqual(['REFRESH_LIMITED']);
      const error = await rejectionOf(harness.strategy.getCredentials(ctx));
      expect(error.code).toBe('REFRESH_LIMITED');
      expect(error.details).toMatchObject({ refreshes: 5, intervalMs: 60_000 });
      // The window moves on: one more refresh is allowed a minute later.
      clock += 60_001;
      audit.credentials(await harness.strategy.getCredentials(ctx));
      expect(sim.counts.refreshToken).toBe(6);
    });
  }

  it('honours the refreshBudget option and rejects a bad one', async () => {
    sim.setQuirks({ accessTokenTtlSeconds: 0 });
    const harness = simulated(sim, audit, {
      now,
      options: { refreshBudget: { refreshes: 2, perSeconds: 10 } },
    });
    const { ctx } = await harness.authorize();
    sim.resetCounts();
    for (let i = 0; i < 2; i++) audit.credentials(await harness.strategy.getCredentials(ctx));
    expect((await rejectionOf(harness.strategy.getCredentials(ctx))).code).toBe('REFRESH_LIMITED');
    expect(sim.counts.refreshToken).toBe(2);
    expect(() =>
      simulated(sim, audit, { options: { refreshBudget: { refreshes: 0, perSeconds: 1 } } }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });
});

describe('describeCredentials', () => {
  it('tells scopes, the refresh token, the next proactive refresh and the last refresh — no secret', async () => {
    const { harness, ctx, credentials } = await authorized({
      values: { scope: 'orders.read profile' },
    });
    const describe = (c: Credentials) => harness.strategy.describeCredentials?.(c);
    expect(describe(credentials)).toEqual({
      refreshable: true,
      scopes: ['orders.read', 'profile'],
      nextRefreshAt: credentials.expiresAt! - 60_000,
    });
    clock += HOUR - 59_000;
    const next = await harness.strategy.getCredentials(ctx);
    audit.credentials(next);
    expect(sim.counts.refreshToken).toBe(1);
    const facts = describe(await stored(ctx));
    expect(facts).toMatchObject({ refreshable: true, refreshedAt: clock });
    expect(facts?.nextRefreshAt).toBe(next.expiresAt! - 60_000);
    for (const value of [...Object.values(credentials.values), ...Object.values(next.values)])
      expect(JSON.stringify(facts)).not.toContain(value);
  });

  it('has no next refresh without a refresh token, and splits comma-separated scopes', () => {
    const strategy = oauth2AuthorizationCode();
    expect(
      strategy.describeCredentials?.({
        values: { access_token: 'a' },
        obtainedAt: 0,
        expiresAt: HOUR,
        meta: { scope: 'repo,user' },
      }),
    ).toEqual({ refreshable: false, scopes: ['repo', 'user'] });
  });
});

describe('secrets', () => {
  it('appear in no error message, log line or span attribute of this file', () => {
    audit.assertClean();
  });
});
