import type { JsonObject, RateLimit } from '../definition/types.js';
import type { Store } from './Store.js';
import { storeKeys } from './Store.js';

/** How long a pending authorization (an unanswered consent) stays valid: 10 minutes. */
export const PENDING_AUTHORIZATION_TTL_MS = 10 * 60 * 1000;

/** What is kept between `begin` and `complete` of an interactive authorization. */
export interface PendingAuthorization {
  readonly connectorId: string;
  readonly authMethodId: string;
  /** The instance name chosen by the user. */
  readonly name: string;
  /** Values the user entered (connector and auth variables); may hold secrets. */
  readonly variables: Readonly<Record<string, string>>;
  /** Set when this authorization renews an existing instance (re-authorization) instead of adding one. */
  readonly instanceId?: string;
  /** The rate limit chosen for the instance, when it overrides the connector's. */
  readonly rateLimit?: RateLimit;
  /** The strategy's `AuthorizationRequest.data`. */
  readonly data: JsonObject;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/**
 * Saves a pending authorization under its `state`, one-time and expiring after
 * {@link PENDING_AUTHORIZATION_TTL_MS}.
 *
 * @example
 * ```ts
 * await savePendingAuthorization(store, request.state, { connectorId, authMethodId, name,
 *   variables, data: request.data, expiresAt: Date.now() + PENDING_AUTHORIZATION_TTL_MS });
 * ```
 */
export async function savePendingAuthorization(
  store: Store,
  state: string,
  pending: PendingAuthorization,
  ttlMs: number = PENDING_AUTHORIZATION_TTL_MS,
): Promise<void> {
  await store.set(storeKeys.pending(state), pending as unknown as JsonObject, {
    ifVersion: 0,
    ttlMs,
  });
}

/**
 * Atomically takes the pending authorization of `state`: a second call for the same state (a
 * replayed callback) gets `undefined`, as does an unknown or expired one.
 *
 * @example
 * ```ts
 * const pending = await takePendingAuthorization(store, params.get('state') ?? '');
 * ```
 */
export async function takePendingAuthorization(
  store: Store,
  state: string,
  now: number = Date.now(),
): Promise<PendingAuthorization | undefined> {
  if (state === '') return undefined;
  const pending = await store.take<JsonObject>(storeKeys.pending(state));
  if (pending === undefined) return undefined;
  const record = pending as unknown as PendingAuthorization;
  return record.expiresAt > now ? record : undefined;
}
