import type { JsonObject, RateLimit } from '../definition/types.js';

/** Lifecycle state of an instance. */
export type InstanceStatus = 'active' | 'reauthorization_required';

/**
 * One set of credentials for a connector, added with exactly one authentication method. This is
 * what `getInstance` returns and what is safe to show or serialize: secret variable values are
 * replaced by `"[redacted]"` and tokens are not part of it at all.
 */
export interface Instance {
  readonly id: string;
  readonly name: string;
  readonly connectorId: string;
  readonly authMethodId: string;
  readonly status: InstanceStatus;
  /** Connector and auth variable values; secret ones read `"[redacted]"`. */
  readonly variables: Readonly<Record<string, string>>;
  /** The instance's own rate limit; absent means the connector's `rateLimit` applies. */
  readonly rateLimit?: RateLimit;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The stored instance record: like {@link Instance} but with secret values in clear (encrypted at rest by the store). */
export interface InstanceRecord {
  readonly id: string;
  readonly name: string;
  readonly connectorId: string;
  readonly authMethodId: string;
  readonly status: InstanceStatus;
  readonly variables: Readonly<Record<string, string>>;
  /** The instance's own rate limit; absent means the connector's `rateLimit` applies. */
  readonly rateLimit?: RateLimit;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * What a strategy produced for an instance: credential values for `apply` templates (for OAuth 2:
 * `access_token`, `refresh_token`, `token_type`), expiry, and secret-free metadata. Stored under
 * `storeKeys.credentials(instanceId)` with a version for compare-and-set.
 */
export interface Credentials {
  readonly values: Readonly<Record<string, string>>;
  /** Epoch milliseconds; absent when the provider gave no expiry. */
  readonly expiresAt?: number;
  /** Epoch milliseconds. */
  readonly obtainedAt: number;
  /** Secret-free facts, e.g. granted scope. */
  readonly meta?: JsonObject;
}
