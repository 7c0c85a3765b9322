/**
 * Where an instance's credentials stand: `valid`; `refresh_due` (the strategy will renew them on
 * the next call); `expired` (past `expiresAt`: renewed on the next call when `refreshable`, else
 * the call fails); `missing` (nothing stored); `reauthorization_required` (the instance needs a new
 * consent, whatever is stored).
 */
export type CredentialState =
  | 'valid'
  | 'refresh_due'
  | 'expired'
  | 'missing'
  | 'reauthorization_required';

/**
 * What `runtime.credentialStatus` returns: secret-free facts about an instance's stored
 * credentials, safe to show and serialize. Times are epoch milliseconds; a field is absent when
 * neither the credentials nor the strategy tell it.
 *
 * @example
 * ```ts
 * const status = await runtime.credentialStatus(instance);
 * if (status.state === 'expired' && !status.refreshable) askForConsent(instance);
 * ```
 */
export interface CredentialStatus {
  readonly instanceId: string;
  readonly state: CredentialState;
  /** When the current credentials were obtained (consent, or the last refresh). */
  readonly obtainedAt?: number;
  /** When the access credential expires; absent when the provider gave no expiry. */
  readonly expiresAt?: number;
  /** When they were last refreshed; absent when not since the consent (strategy fact). */
  readonly refreshedAt?: number;
  /**
   * When the strategy will refresh them ahead of expiry (strategy fact); absent when
   * `reauthorization_required`.
   */
  readonly nextRefreshAt?: number;
  /** Granted scopes (strategy fact). */
  readonly scopes?: readonly string[];
  /**
   * Whether the credentials can be renewed without the user, e.g. a refresh token is held. Always
   * false when `reauthorization_required`: a dead grant needs a new consent, even with a refresh
   * token still stored.
   */
  readonly refreshable: boolean;
}
