import type { JsonObject, RateLimit } from '../definition/types.js';

/**
 * Lifecycle state of an instance: `active`; `reauthorization_required` (its grant died: renew the
 * consent); `pending_choice` (consent done, but the method's post-authorization steps are not:
 * the user must pick one of `pendingChoice.choices` with `runtime.chooseValue()`, or, without a
 * `pendingChoice`, a step failed and must be run again).
 */
export type InstanceStatus = 'active' | 'reauthorization_required' | 'pending_choice';

/**
 * One option of a post-authorization step whose answer offers several (a Xero organisation, a
 * Jira site). Not secret.
 *
 * @example
 * ```ts
 * const choice: Choice = { id: '70784a63-d24b-46a9-a4db-0e70a274b056', label: 'Demo Company (UK)' };
 * ```
 */
export interface Choice {
  /** What `runtime.chooseValue(instance, stepId, id)` takes. */
  readonly id: string;
  /** The name to show; the id when the step declares no label. */
  readonly label: string;
}

/**
 * What an instance in `pending_choice` waits for: the user's pick among `choices` of step `stepId`.
 *
 * @example
 * ```ts
 * if (instance.pendingChoice) showPicker(instance.pendingChoice.choices);
 * ```
 */
export interface PendingChoice {
  readonly stepId: string;
  readonly choices: readonly Choice[];
}

/** A stored {@link PendingChoice}: each choice with the values it would capture. */
export interface PendingChoiceRecord {
  readonly stepId: string;
  readonly choices: readonly (Choice & { readonly values: Readonly<Record<string, string>> })[];
}

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
  /**
   * Values captured at consent (callback, token response) and by the post-authorization steps;
   * secret ones read `"[redacted]"`. Absent when the method captures nothing.
   */
  readonly captured?: Readonly<Record<string, string>>;
  /** With status `pending_choice`: the choice the user must make. */
  readonly pendingChoice?: PendingChoice;
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
  /**
   * Values captured at consent and by the post-authorization steps (runtime-owned; a refresh
   * response's newer values live in the credentials' `captured` and win in templates).
   */
  readonly captured?: Readonly<Record<string, string>>;
  /** With status `pending_choice`: the choices offered, each with the values it captures. */
  readonly pendingChoice?: PendingChoiceRecord;
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
  /**
   * Values the strategy captured from the authorization callback and the token responses (the
   * method's `captured`), by key: usable in every template of the instance like variables, kept
   * across refreshes and updated when a refresh response carries them again.
   */
  readonly captured?: Readonly<Record<string, string>>;
}
