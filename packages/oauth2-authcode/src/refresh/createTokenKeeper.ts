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
import type { ResolvedOptions } from '../OAuth2AuthorizationCodeOptions.js';
import type { OAuthSettings } from '../settings/OAuthSettings.js';
import { readSettings } from '../settings/readSettings.js';
import { refreshAccessToken } from './refreshAccessToken.js';
import { refreshDueAt } from './refreshDueAt.js';

/** Credentials as cached, with the store version they were read or written at. */
interface Cached {
  readonly credentials: Credentials;
  readonly version: number;
}

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
  ) => refreshAccessToken(ctx, settings, options, current.values['refresh_token'] ?? '', span),
});

/** What `createTokenKeeper` returns: the strategy's token-use half. */
export interface TokenKeeper {
  getCredentials(ctx: InstanceContext): Promise<Credentials>;
  refresh(ctx: InstanceContext, rejected: Credentials): Promise<Credentials>;
  forget(instanceId: string): void;
  close(): void;
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

/** Reads the stored credentials, checking their shape (they may come from an older version). */
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
  return { credentials: value as unknown as Credentials, version: entry.version };
}

function isInvalidGrant(error: unknown): boolean {
  return (
    SpliceError.is(error, 'TOKEN_REQUEST_FAILED') && error.details.oauthError === 'invalid_grant'
  );
}

/**
 * The token-use half of the strategy (SPEC §4 steps 3–4): an in-memory cache per instance, so the
 * hot path does no I/O; proactive refresh inside the skew; and refresh that happens at most once
 * at a time per instance — in this process (callers share one promise) and across processes (a
 * store lease, then a re-read: when another process already refreshed, its credentials are used
 * and no request is sent). New credentials are written with compare-and-set before any caller
 * sees them. `invalid_grant` after a lost race adopts the winner's credentials; otherwise the
 * grant is dead and `REAUTHORIZATION_REQUIRED` is thrown (the runtime marks the instance).
 * `renewal` says how new credentials are obtained: with the refresh token by default, with the
 * client's own credentials for the client-credentials grant.
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

  const fresh = (credentials: Credentials, now: number): boolean => {
    const due = refreshDueAt(credentials, options.refreshSkewMs);
    return due === undefined || due > now;
  };
  const expired = (credentials: Credentials, now: number): boolean =>
    credentials.expiresAt !== undefined && credentials.expiresAt <= now;
  const differs = (a: Credentials, b: Credentials): boolean =>
    a.values['access_token'] !== b.values['access_token'];

  async function read(ctx: InstanceContext): Promise<Cached> {
    const entry = await ctx.store.get(storeKeys.credentials(ctx.instance.id));
    if (entry === undefined) throw reauthorizationRequired(ctx, 'no credentials are stored for it');
    const cached = asCredentials(ctx, entry);
    cache.set(ctx.instance.id, cached);
    return cached;
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
    const held = await lease(ctx, rejected, leaseMs);
    if (!('release' in held)) return { credentials: held, outcome: 'adopted' };
    try {
      // Re-read under the lock: the previous holder may have finished just before we got it.
      const current = await read(ctx);
      if (differs(current.credentials, rejected) && !expired(current.credentials, ctx.now()))
        return { credentials: current.credentials, outcome: 'adopted' };
      const refreshToken = current.credentials.values['refresh_token'];
      if (!renewal.canRenew(current.credentials))
        throw reauthorizationRequired(
          ctx,
          'the access token expired or was refused and there is no refresh token',
        );
      let next: Credentials;
      try {
        span.setAttribute('splice.refresh.fencing_token', held.fencingToken);
        const renewed = await renewal.renew(ctx, settings, options, current.credentials, span);
        // When it was renewed without the user: a secret-free fact for the status view.
        next = { ...renewed, meta: { ...renewed.meta, refreshedAt: renewed.obtainedAt } };
      } catch (error) {
        if (!isInvalidGrant(error)) throw error;
        // RFC 6749 §6 / §10.4: a rotated refresh token is single-use. If the stored one changed
        // while we were asking, someone else refreshed first: theirs is good.
        const latest = await read(ctx);
        if (latest.credentials.values['refresh_token'] !== refreshToken)
          return { credentials: latest.credentials, outcome: 'adopted' };
        throw reauthorizationRequired(
          ctx,
          'the provider refused the refresh token (invalid_grant)',
          {
            error: 'invalid_grant',
          },
        );
      }
      const key = storeKeys.credentials(ctx.instance.id);
      try {
        const version = await ctx.store.set(key, next as unknown as JsonObject, {
          ifVersion: current.version,
        });
        cache.set(ctx.instance.id, { credentials: next, version });
      } catch (error) {
        if (!SpliceError.is(error, 'STORE_CONFLICT')) throw error;
        // Someone wrote meanwhile (a re-authorization, or a holder whose lease lapsed): the
        // store is the truth.
        const latest = await read(ctx);
        ctx.logger.warn(
          'splice: refreshed credentials lost a compare-and-set, using the stored ones',
          ids(ctx),
        );
        return { credentials: latest.credentials, outcome: 'conflict' };
      }
      ctx.logger.info('splice: access token refreshed', {
        ...ids(ctx),
        expiresAt: next.expiresAt,
        rotated: next.values['refresh_token'] !== refreshToken,
      });
      return { credentials: next, outcome: 'refreshed' };
    } finally {
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
    },
    close() {
      cache.clear();
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
