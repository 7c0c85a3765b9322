// Credentials the provider issued on a refresh are never dropped (a store write failing or
// stalling right after the provider answered), a lapsed lease holder's late write is fenced, and
// refreshes per instance are bounded. Real simulator (rotating refresh tokens), real MemoryStore,
// wrapped by the testkit's faulty store only for the faults a real store cannot produce on cue.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Credentials, type InstanceContext, MemoryStore, storeKeys } from '@splice/core';
import { createFaultyStore, type ProviderSimulator, startProviderSimulator } from '@splice/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, simulated } from './simulated.js';
import { Audit, CALLBACK } from './support.js';

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
  sim.setQuirks({ rotateRefreshTokens: true, accessTokenTtlSeconds: 3600, expiry: 'number' });
  sim.resetCounts();
});

async function stored(ctx: InstanceContext): Promise<Credentials | undefined> {
  const entry = await ctx.store.get(storeKeys.credentials(ctx.instance.id));
  return entry?.value as unknown as Credentials | undefined;
}

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
      expect((await stored(ctx))?.values).toEqual(next.values);
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

describe('lease lapse (a holder stalls past its lease while writing)', () => {
  it('the second process does not judge the grant dead: it adopts the stalled holder successor', async () => {
    let storeClock = Date.now();
    const shared = new MemoryStore({ now: () => storeClock });
    const slow = createFaultyStore(shared);
    const one = simulated(sim, audit, { store: slow, now });
    const two = simulated(sim, audit, { store: shared, now });
    const { ctx, credentials } = await one.authorize();
    audit.credentials(credentials);
    sim.resetCounts();
    slow.arm({ keyPrefix: 'credentials:', kind: 'stall' });
    clock += HOUR + 1;
    const first = one.strategy.getCredentials(ctx);
    await slow.stalled();
    // The provider answered process one (rotating the refresh token); its lease now lapses.
    storeClock += 60_000;
    const second = two.strategy.getCredentials(two.instanceContext(ctx.instance));
    while (sim.counts.invalidGrant < 1) await sleep(10);
    slow.release();
    const [a, b] = await Promise.all([first, second]);
    audit.credentials(a);
    expect(b.values).toEqual(a.values);
    expect((await stored(ctx))?.values).toEqual(a.values);
    // Process one's refresh answered; process two's, with the spent refresh token, refused.
    expect(sim.requests.filter((r) => r.grant === 'refresh_token')).toHaveLength(2);
    expect(sim.counts.invalidGrant).toBe(1);
  });

  it('fencing: a lapsed holder late write loses to a later holder settled write', async () => {
    sim.setQuirks({ rotateRefreshTokens: false });
    let storeClock = Date.now();
    const shared = new MemoryStore({ now: () => storeClock });
    const slow = createFaultyStore(shared);
    const one = simulated(sim, audit, { store: slow, now });
    const two = simulated(sim, audit, { store: shared, now });
    const { ctx, credentials } = await one.authorize();
    audit.credentials(credentials);
    slow.arm({ keyPrefix: 'credentials:', kind: 'stall' });
    clock += HOUR + 1;
    const first = one.strategy.getCredentials(ctx);
    await slow.stalled();
    storeClock += 60_000;
    const b = await two.strategy.getCredentials(two.instanceContext(ctx.instance));
    audit.credentials(b);
    slow.release();
    const a = await first;
    expect(a.values).toEqual(b.values);
    expect((await stored(ctx))?.values).toEqual(b.values);
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
