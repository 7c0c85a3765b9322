import { setTimeout as sleep } from 'node:timers/promises';
import type { Span } from '@opentelemetry/api';
import {
  type Credentials,
  type InstanceContext,
  inSpan,
  type JsonObject,
  type Lease,
  SpliceError,
  type StoreEntry,
  storeKeys,
} from '@splice/core';
import { RetryRule } from '@splice/http';
import { readDialect } from '../dialect/readDialect.js';
import type { ResolvedOptions } from '../OAuth2AuthorizationCodeOptions.js';
import type { OAuthSettings } from '../settings/OAuthSettings.js';
import { readSettings } from '../settings/readSettings.js';
import { RefreshBudget } from './RefreshBudget.js';
import { refreshAccessToken } from './refreshAccessToken.js';
import { refreshDueAt } from './refreshDueAt.js';

/**
 * Credentials as cached, with the store version they were read or written at and the fencing
 * token of the refresh that wrote them (0 when no refresh did: the exchange, a renewal).
 */
interface Cached {
  readonly credentials: Credentials;
  readonly version: number;
  readonly fencingToken: number;
}

/** New credentials the provider issued, renewing `from` (see {@link origin}), under a lease. */
interface Successor {
  readonly credentials: Credentials;
  readonly from: string | undefined;
  readonly fencingToken: number;
}

/**
 * What a renewal starts from, and so what its successor replaces: the refresh token (RFC 6749
 * §6; single-use when the provider rotates it), or the access token for a grant without one
 * (client credentials, RFC 6749 §4.4.3).
 */
function origin(credentials: Credentials): string | undefined {
  const refreshToken = credentials.values['refresh_token'];
  return refreshToken === undefined || refreshToken === ''
    ? credentials.values['access_token']
    : refreshToken;
}

/** How a successor's write ended: it is in the store, or the store holds newer credentials. */
type Settled =
  | { readonly landed: true; readonly version: number }
  | { readonly landed: false; readonly stored: Cached | undefined };

// A refresh intent outlives the lease (a stalled holder may still write) but not forever: one
// left by a crashed process stops mattering after an hour.
const INTENT_TTL_MS = 3_600_000;

/** How long `close()` waits for credentials whose write is still being retried. */
export const CLOSE_FLUSH_MS = 5000;

/**
 * How a keeper obtains new credentials without the user: the one thing that differs between the
 * OAuth 2 grants sharing the keeper. Authorization code renews with its refresh token (RFC 6749
 * §6, the default); client credentials asks for a new token with the client's own credentials
 * (RFC 6749 §4.4). The keeper does the caching, single-flight, store lease and compare-and-set.
 *
 * @example
 * ```ts
 * const keeper = createTokenKeeper(options, { canRenew: () => true, renew: requestClientToken });
 * ```
 */
export interface Renewal {
  /** Whether these credentials can be renewed; when not, expiry means `REAUTHORIZATION_REQUIRED`. */
  canRenew(credentials: Credentials): boolean;
  /** Sends one token request for new credentials; the keeper holds the instance's lease. */
  renew(
    ctx: InstanceContext,
    settings: OAuthSettings,
    options: ResolvedOptions,
    current: Credentials,
    span: Span,
  ): Promise<Credentials>;
}

/**
 * Renewal with the refresh token (RFC 6749 §6): the authorization-code strategy's.
 *
 * @example
 * ```ts
 * REFRESH_TOKEN_RENEWAL.canRenew({ values: { access_token: 'a' }, obtainedAt: 0 }); // false
 * ```
 */
export const REFRESH_TOKEN_RENEWAL: Renewal = Object.freeze({
  canRenew: (credentials: Credentials) => {
    const refreshToken = credentials.values['refresh_token'];
    return refreshToken !== undefined && refreshToken !== '';
  },
  renew: (
    ctx: InstanceContext,
    settings: OAuthSettings,
    options: ResolvedOptions,
    current: Credentials,
    span: Span,
  ) =>
    refreshAccessToken(
      ctx,
      settings,
      options,
      current.values['refresh_token'] ?? '',
      span,
      // Values captured at consent: for the refresh URL, and kept unless carried again.
      current.captured,
    ),
});

/** What `createTokenKeeper` returns: the strategy's token-use half. */
export interface TokenKeeper {
  getCredentials(ctx: InstanceContext): Promise<Credentials>;
  refresh(ctx: InstanceContext, rejected: Credentials): Promise<Credentials>;
  forget(instanceId: string): void;
  /** Gives unsaved credentials up to `CLOSE_FLUSH_MS` to land, then stops retrying them. */
  close(): Promise<void>;
}

function ids(ctx: InstanceContext): Record<string, string> {
  return {
    connectorId: ctx.connector.id,
    authMethodId: ctx.method.id,
    instanceId: ctx.instance.id,
  };
}

function reauthorizationRequired(ctx: InstanceContext, why: string, cause?: unknown): SpliceError {
  return new SpliceError(
    'REAUTHORIZATION_REQUIRED',
    `Instance "${ctx.instance.id}" of connector "${ctx.connector.id}" must be authorized again: ${why}. Run beginAuthorization for it.`,
    { ...(cause === undefined ? {} : { cause }), details: ids(ctx) },
  );
}

/**
 * Reads the stored credentials, checking their shape (they may come from an older version). The
 * entry's `fencingToken` (written by a refresh) is kept apart from the credentials.
 */
function asCredentials(ctx: InstanceContext, entry: StoreEntry): Cached {
  const value = entry.value as JsonObject;
  const values = value?.['values'] as JsonObject | undefined;
  if (typeof values !== 'object' || values === null || typeof values['access_token'] !== 'string') {
    throw new SpliceError(
      'CREDENTIALS_INVALID',
      `Stored credentials of instance "${ctx.instance.id}" have no "values.access_token" string. Authorize the instance again.`,
      { details: ids(ctx) },
    );
  }
  const { fencingToken, ...credentials } = value;
  return {
    credentials: credentials as unknown as Credentials,
    version: entry.version,
    fencingToken: typeof fencingToken === 'number' ? fencingToken : 0,
  };
}

/**
 * The provider's word for a dead grant, in the method's dialect: an OAuth `error` it lists
 * (`invalid_grant`, GitHub's HTTP-200 `bad_refresh_token`, ...) at any status, a status it
 * lists, or a body its `invalidGrant.body` rules match (HubSpot's `BAD_REFRESH_TOKEN`, judged by
 * `processTokenResponse`). Returns what to name in the message, or undefined when the refusal is
 * something else.
 */
function deadGrant(ctx: InstanceContext, error: unknown): string | undefined {
  if (!SpliceError.is(error, 'TOKEN_REQUEST_FAILED')) return undefined;
  const dialect = readDialect(ctx.method);
  const { oauthError, status, invalidGrantRule } = error.details;
  if (typeof invalidGrantRule === 'string') return `the body's "${invalidGrantRule}"`;
  if (typeof oauthError === 'string' && dialect.invalidGrantErrors.has(oauthError))
    return oauthError;
  if (typeof status === 'number' && dialect.invalidGrantStatuses.has(status))
    return `status ${status}`;
  return undefined;
}

/**
 * The token-use half of the strategy (SPEC §4 steps 3–4): an in-memory cache per instance, so the
 * hot path does no I/O; proactive refresh inside the skew; and refresh that happens at most once
 * at a time per instance — in this process (callers share one promise) and across processes (a
 * store lease, then a re-read: when another process already refreshed, its credentials are used
 * and no request is sent).
 *
 * Durability: new credentials are written with compare-and-set before any caller sees them. When
 * the store fails that write, the credentials the provider issued are not dropped: callers get
 * them, this process keeps using them, and the write is retried in the background (the HTTP
 * edge's backoff, `retry` options) until it lands, newer credentials supersede it, or the keeper
 * closes (logged as an error).
 *
 * Fencing: each refresh runs under a lease whose fencing token is written with the new
 * credentials and, before the request, as a refresh intent (`storeKeys.refreshIntent`). A late
 * write (a holder whose lease lapsed) lands only while the store still holds the refresh token it
 * redeemed and no settled write with a larger fencing token. a dead grant (`invalid_grant`, or what the method's
 * `dialect.invalidGrant` names, e.g. GitHub's HTTP-200 `bad_refresh_token`) is judged against the
 * latest settled credentials: a changed refresh token is adopted; an unsettled earlier intent
 * means a lapsed holder may be about to store a successor, so the caller waits for it (then
 * `TIMEOUT`, never a dead grant); only otherwise is the grant dead (`REAUTHORIZATION_REQUIRED`;
 * the runtime marks the instance).
 *
 * Refresh budget: at most `refreshBudget.refreshes` refresh requests per instance per interval in
 * this process, then `REFRESH_LIMITED`.
 *
 * `renewal` says how new credentials are obtained: with the refresh token by default, with the
 * client's own credentials for the client-credentials grant. What a renewal started from is its
 * refresh token, or the access token when there is none (client credentials): the fencing and
 * `invalid_grant` rules above compare that.
 *
 * @example
 * ```ts
 * const keeper = createTokenKeeper(resolveOptions());
 * const { values } = await keeper.getCredentials(ctx);
 * ```
 */
export function createTokenKeeper(
  options: ResolvedOptions,
  renewal: Renewal = REFRESH_TOKEN_RENEWAL,
): TokenKeeper {
  const cache = new Map<string, Cached>();
  const inflight = new Map<string, Promise<Credentials>>();
  // Successors the store has not taken yet, by instance; each has a background write running.
  const unsaved = new Map<string, Successor>();
  const budget = new RefreshBudget(options.refreshBudget);
  const closing = new AbortController();
  const saving = new Set<Promise<void>>();

  const fresh = (credentials: Credentials, now: number): boolean => {
    const due = refreshDueAt(credentials, options.refreshSkewMs);
    return due === undefined || due > now;
  };
  const expired = (credentials: Credentials, now: number): boolean =>
    credentials.expiresAt !== undefined && credentials.expiresAt <= now;
  const differs = (a: Credentials, b: Credentials): boolean =>
    a.values['access_token'] !== b.values['access_token'];

  /** The latest credentials: the store's, or this process's unsaved successor of them. */
  async function read(ctx: InstanceContext): Promise<Cached> {
    const entry = await ctx.store.get(storeKeys.credentials(ctx.instance.id));
    if (entry === undefined) throw reauthorizationRequired(ctx, 'no credentials are stored for it');
    let cached = asCredentials(ctx, entry);
    const successor = unsaved.get(ctx.instance.id);
    if (successor !== undefined && origin(cached.credentials) === successor.from)
      cached = { ...cached, credentials: successor.credentials };
    cache.set(ctx.instance.id, cached);
    return cached;
  }

  /**
   * Writes `successor` with compare-and-set (first at `version` when known), re-reading after each
   * conflict. It lands while the store holds the refresh token it was issued for and no settled
   * write with a larger fencing token; otherwise the store's credentials win. Store failures
   * are thrown.
   */
  async function settle(
    ctx: InstanceContext,
    successor: Successor,
    version: number | undefined,
  ): Promise<Settled> {
    const key = storeKeys.credentials(ctx.instance.id);
    let expected = version;
    for (;;) {
      if (expected === undefined) {
        const entry = await ctx.store.get(key);
        if (entry === undefined) return { landed: false, stored: undefined };
        const stored = asCredentials(ctx, entry);
        if (
          stored.fencingToken === successor.fencingToken &&
          !differs(stored.credentials, successor.credentials)
        )
          return { landed: true, version: stored.version };
        if (
          stored.fencingToken > successor.fencingToken ||
          origin(stored.credentials) !== successor.from
        )
          return { landed: false, stored };
        expected = stored.version;
      }
      try {
        const written = await ctx.store.set(
          key,
          {
            ...(successor.credentials as unknown as JsonObject),
            fencingToken: successor.fencingToken,
          },
          { ifVersion: expected },
        );
        return { landed: true, version: written };
      } catch (error) {
        if (!SpliceError.is(error, 'STORE_CONFLICT')) throw error;
        expected = undefined;
      }
    }
  }

  /** Keeps `successor` in use and retries its write in the background until it settles. */
  function keepUnsaved(ctx: InstanceContext, successor: Successor, version: number): void {
    const id = ctx.instance.id;
    unsaved.set(id, successor);
    cache.set(id, { credentials: successor.credentials, version, fencingToken: 0 });
    // The rule's backoff only: its failure code concerns HTTP retries, which this is not.
    const rule = new RetryRule(options.retry, 'TOKEN_REQUEST_FAILED', ctx.now);
    let tries = 1;
    const running = rule
      .repeat(() => settle(ctx, successor, undefined), {
        retries: Number.POSITIVE_INFINITY,
        signal: closing.signal,
        // A store that fails is retried; anything else (stored credentials of a wrong shape) is
        // not going to change by waiting.
        shouldRetry: (error) =>
          !closing.signal.aborted &&
          (SpliceError.is(error, 'STORE_UNAVAILABLE') || !SpliceError.is(error)),
        onRetry: () => {
          tries += 1;
        },
      })
      .then(
        async (settled) => {
          if (unsaved.get(id) === successor) unsaved.delete(id);
          if (settled.landed) {
            cache.set(id, {
              credentials: successor.credentials,
              version: settled.version,
              fencingToken: successor.fencingToken,
            });
            await settleIntent(ctx, successor.fencingToken);
          } else if (settled.stored === undefined) cache.delete(id);
          else cache.set(id, settled.stored);
          ctx.logger.info('splice: refreshed credentials saved after the store failed', {
            ...ids(ctx),
            tries,
            outcome: settled.landed ? 'saved' : 'superseded',
          });
        },
        (error: unknown) => {
          if (unsaved.get(id) === successor) unsaved.delete(id);
          ctx.logger.error(
            'splice: refreshed credentials were never saved (the store kept failing until the strategy closed, or refused them); the instance may need re-authorization',
            { ...ids(ctx), tries, code: SpliceError.is(error) ? error.code : 'closed' },
          );
        },
      )
      .finally(() => saving.delete(running));
    saving.add(running);
  }

  /**
   * Records that a refresh under `fencingToken` is in flight; true when an earlier holder's
   * intent was still there (its outcome never settled: it stalled or died).
   */
  async function declareIntent(ctx: InstanceContext, fencingToken: number): Promise<boolean> {
    const key = storeKeys.refreshIntent(ctx.instance.id);
    const previous = (await ctx.store.get(key))?.value as JsonObject | undefined;
    await ctx.store.set(key, { fencingToken }, { ttlMs: INTENT_TTL_MS });
    const prior = previous?.['fencingToken'];
    // This process's own unsaved successor is no one else's unsettled refresh: it is in use here.
    if (prior === unsaved.get(ctx.instance.id)?.fencingToken) return false;
    return typeof prior === 'number' && prior < fencingToken;
  }

  /** Removes the refresh intent of `fencingToken`, if it is still the stored one (best effort). */
  async function settleIntent(ctx: InstanceContext, fencingToken: number): Promise<void> {
    const key = storeKeys.refreshIntent(ctx.instance.id);
    try {
      const entry = await ctx.store.get(key);
      if ((entry?.value as JsonObject | undefined)?.['fencingToken'] === fencingToken)
        await ctx.store.delete(key);
    } catch (error) {
      ctx.logger.debug('splice: could not remove a settled refresh intent', {
        ...ids(ctx),
        code: SpliceError.is(error) ? error.code : 'error',
      });
    }
  }

  /**
   * After `invalid_grant` while an earlier holder's refresh was unsettled: waits (up to
   * `waitMs`) for its successor to reach the store.
   */
  async function awaitSuccessor(
    ctx: InstanceContext,
    from: string | undefined,
    waitMs: number,
  ): Promise<Credentials | undefined> {
    const started = Date.now();
    let pause = 25;
    while (Date.now() - started <= waitMs) {
      const latest = await read(ctx);
      if (origin(latest.credentials) !== from) return latest.credentials;
      await sleep(pause);
      pause = Math.min(pause * 2, 400);
    }
    return undefined;
  }

  /** Takes the refresh lease, or returns credentials another process refreshed meanwhile. */
  async function lease(
    ctx: InstanceContext,
    rejected: Credentials,
    leaseMs: number,
  ): Promise<Lease | Credentials> {
    const key = storeKeys.refreshLock(ctx.instance.id);
    const waitMs = options.lockWaitMs ?? leaseMs;
    const started = Date.now();
    let pause = 25;
    for (;;) {
      const held = await ctx.store.acquireLease(key, leaseMs);
      if (held !== undefined) return held;
      await sleep(pause);
      pause = Math.min(pause * 2, 400);
      const latest = await read(ctx);
      if (differs(latest.credentials, rejected) && !expired(latest.credentials, ctx.now()))
        return latest.credentials;
      if (Date.now() - started > waitMs) {
        throw new SpliceError(
          'TIMEOUT',
          `Waited ${waitMs} ms for another process to refresh instance "${ctx.instance.id}" and it did not finish. Try again; if it persists, check the token endpoint.`,
          { details: { ...ids(ctx), waitMs } },
        );
      }
    }
  }

  async function refreshUnderLock(
    ctx: InstanceContext,
    rejected: Credentials,
    span: Span,
  ): Promise<{ credentials: Credentials; outcome: string }> {
    const settings = readSettings(ctx);
    // Longer than one refresh can take, so a live holder keeps it; a dead one loses it soon.
    const leaseMs = ctx.method.timeoutSeconds * 1000 + 5000;
    // Past the budget nothing is done, not even the lease and its store round trips.
    budget.check(ctx.instance.id, ctx.now(), ids(ctx));
    const held = await lease(ctx, rejected, leaseMs);
    if (!('release' in held)) return { credentials: held, outcome: 'adopted' };
    // The intent stays while an unsaved successor's write is retried (it tells other processes
    // this refresh is not settled).
    let keepIntent = false;
    let intentDeclared = false;
    try {
      // Re-read under the lock: the previous holder may have finished just before we got it.
      const current = await read(ctx);
      if (differs(current.credentials, rejected) && !expired(current.credentials, ctx.now()))
        return { credentials: current.credentials, outcome: 'adopted' };
      const from = origin(current.credentials);
      if (!renewal.canRenew(current.credentials))
        throw reauthorizationRequired(
          ctx,
          'the access token expired or was refused and there is no refresh token',
        );
      span.setAttribute('splice.refresh.fencing_token', held.fencingToken);
      const earlierUnsettled = await declareIntent(ctx, held.fencingToken);
      intentDeclared = true;
      // We hold the lease, so the earlier holder's lease lapsed and its token request is over
      // (bounded by timeoutSeconds): if it is alive it is writing, or retrying the write with
      // backoff steps of at most retryMaxDelayMs. Wait one such step (at most lockWaitMs), so a
      // holder that died costs little.
      const waitMs = Math.min(options.lockWaitMs ?? leaseMs, options.retry.maxDelayMs);
      if (earlierUnsettled) {
        // An earlier holder (lease lapsed, or its save is being retried) may have redeemed this
        // refresh token already: sending it again could look like token replay to the provider
        // (RFC 9700 §4.14.2 lets it revoke the grant). Wait for its successor first.
        const adopted = await awaitSuccessor(ctx, from, waitMs);
        if (adopted !== undefined) return { credentials: adopted, outcome: 'adopted' };
      }
      budget.spend(ctx.instance.id, ctx.now(), ids(ctx));
      let next: Credentials;
      try {
        const renewed = await renewal.renew(ctx, settings, options, current.credentials, span);
        // When it was renewed without the user: a secret-free fact for the status view.
        next = { ...renewed, meta: { ...renewed.meta, refreshedAt: renewed.obtainedAt } };
      } catch (error) {
        const dead = deadGrant(ctx, error);
        if (dead === undefined) throw error;
        // RFC 6749 §6 / §10.4: a rotated refresh token is single-use. If the stored one changed
        // while we were asking, someone else refreshed first: theirs is good.
        const latest = await read(ctx);
        if (origin(latest.credentials) !== from)
          return { credentials: latest.credentials, outcome: 'adopted' };
        if (earlierUnsettled) {
          // A holder whose lease lapsed redeemed this refresh token and has not settled: its
          // successor may be on the way. Not a dead grant until the credentials are settled.
          const adopted = await awaitSuccessor(ctx, from, waitMs);
          if (adopted !== undefined) return { credentials: adopted, outcome: 'adopted' };
          throw new SpliceError(
            'TIMEOUT',
            `The provider refused the refresh token of instance "${ctx.instance.id}" (${dead}) while an earlier refresh of it had not settled, and no newer credentials were stored within ${waitMs} ms. Try again: the next refresh judges the grant against the settled credentials.`,
            { cause: error, details: { ...ids(ctx), waitMs } },
          );
        }
        throw reauthorizationRequired(ctx, `the provider refused the refresh token (${dead})`, {
          error: dead,
        });
      }
      const successor: Successor = { credentials: next, from, fencingToken: held.fencingToken };
      let settled: Settled;
      try {
        settled = await settle(ctx, successor, current.version);
      } catch (error) {
        // The provider issued them (and may have spent the old refresh token): never drop them.
        keepUnsaved(ctx, successor, current.version);
        keepIntent = true;
        ctx.logger.warn(
          'splice: refreshed credentials could not be saved; using them and retrying the save',
          { ...ids(ctx), code: SpliceError.is(error) ? error.code : 'error' },
        );
        return { credentials: next, outcome: 'unsaved' };
      }
      if (!settled.landed) {
        // Someone wrote meanwhile (a re-authorization, or a later holder): the store is the truth.
        ctx.logger.warn(
          'splice: refreshed credentials lost a compare-and-set, using the stored ones',
          ids(ctx),
        );
        if (settled.stored === undefined)
          throw reauthorizationRequired(ctx, 'its credentials were deleted during the refresh');
        cache.set(ctx.instance.id, settled.stored);
        return { credentials: settled.stored.credentials, outcome: 'conflict' };
      }
      cache.set(ctx.instance.id, {
        credentials: next,
        version: settled.version,
        fencingToken: held.fencingToken,
      });
      ctx.logger.info('splice: access token refreshed', {
        ...ids(ctx),
        expiresAt: next.expiresAt,
        rotated: next.values['refresh_token'] !== current.credentials.values['refresh_token'],
      });
      return { credentials: next, outcome: 'refreshed' };
    } finally {
      if (intentDeclared && !keepIntent) await settleIntent(ctx, held.fencingToken);
      await held.release();
    }
  }

  function refresh(ctx: InstanceContext, rejected: Credentials): Promise<Credentials> {
    const id = ctx.instance.id;
    const running = inflight.get(id);
    if (running !== undefined) return running;
    const cached = cache.get(id);
    // Another caller in this process already replaced the rejected token.
    if (
      cached !== undefined &&
      differs(cached.credentials, rejected) &&
      fresh(cached.credentials, ctx.now())
    )
      return Promise.resolve(cached.credentials);
    const promise = inSpan('splice.token.refresh', spanIds(ctx), async (span) => {
      const { credentials, outcome } = await refreshUnderLock(ctx, rejected, span);
      // 'refreshed': this caller asked the provider; 'adopted'/'conflict': another one had.
      span.setAttribute('splice.refresh.outcome', outcome);
      ctx.logger.debug('splice: refresh finished', { ...ids(ctx), outcome });
      return credentials;
    }).finally(() => inflight.delete(id));
    inflight.set(id, promise);
    return promise;
  }

  async function getCredentials(ctx: InstanceContext): Promise<Credentials> {
    const id = ctx.instance.id;
    const now = ctx.now();
    const cached = cache.get(id);
    if (cached !== undefined && fresh(cached.credentials, now)) return cached.credentials;
    if (ctx.instance.status === 'reauthorization_required')
      throw reauthorizationRequired(ctx, 'it is marked reauthorization_required');
    const running = inflight.get(id);
    if (running !== undefined) return running;
    const current = (await read(ctx)).credentials;
    if (fresh(current, now)) return current;
    if (!renewal.canRenew(current)) {
      if (expired(current, now))
        throw reauthorizationRequired(
          ctx,
          'the access token expired and there is no refresh token',
        );
      return current;
    }
    try {
      return await refresh(ctx, current);
    } catch (error) {
      // Inside the skew the old token still works: a failing token endpoint must not stop
      // requests that would succeed. A dead grant is different: report it.
      if (!expired(current, ctx.now()) && !SpliceError.is(error, 'REAUTHORIZATION_REQUIRED')) {
        ctx.logger.warn('splice: proactive refresh failed, using the unexpired access token', {
          ...ids(ctx),
          code: SpliceError.is(error) ? error.code : 'error',
        });
        return current;
      }
      throw error;
    }
  }

  return {
    getCredentials,
    refresh,
    forget(instanceId) {
      cache.delete(instanceId);
      budget.forget(instanceId);
    },
    async close() {
      if (saving.size > 0) {
        const flushed = Promise.allSettled([...saving]);
        await Promise.race([flushed, sleep(CLOSE_FLUSH_MS, undefined, { ref: false })]);
      }
      closing.abort();
      cache.clear();
      budget.clear();
    },
  };
}

function spanIds(ctx: InstanceContext): Record<string, string> {
  return {
    'splice.connector.id': ctx.connector.id,
    'splice.auth_method.id': ctx.method.id,
    'splice.instance.id': ctx.instance.id,
  };
}
