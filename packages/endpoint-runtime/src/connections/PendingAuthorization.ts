import type { JsonObject, RateLimit } from '@splice/core';

/**
 * How long a pending authorization (an unanswered consent) stays valid: 10 minutes.
 *
 * @example
 * ```ts
 * const expiresAt = now() + PENDING_AUTHORIZATION_TTL_MS;
 * ```
 */
export const PENDING_AUTHORIZATION_TTL_MS = 10 * 60 * 1000;

/**
 * What is kept between `begin` and `complete` of an interactive authorization, one-time, under
 * its `state` (encrypted at rest when the store has a key: it holds what the user entered).
 *
 * @example
 * ```ts
 * const pending: PendingAuthorization = { connectorId: 'acme', authMethodId: 'acme-oauth',
 *   name: 'Acme EU', variables, data: request.data, expiresAt };
 * ```
 */
export interface PendingAuthorization {
  readonly connectorId: string;
  readonly authMethodId: string;
  /** The instance name chosen by the user. */
  readonly name: string;
  /** Values the user entered (connector and auth variables); may hold secrets. */
  readonly variables: Readonly<Record<string, string>>;
  /** Set when this authorization renews an existing instance instead of adding one. */
  readonly instanceId?: string;
  /** The rate limit chosen for the instance, when it overrides the connector's. */
  readonly rateLimit?: RateLimit;
  /** The strategy's `AuthorizationRequest.data`. */
  readonly data: JsonObject;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}
