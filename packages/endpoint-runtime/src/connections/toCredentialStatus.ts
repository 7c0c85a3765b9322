import type { CredentialFacts, Credentials, InstanceRecord } from '@splice/core';
import type { CompiledMethod } from '../catalog/CompiledConnector.js';
import type { CredentialState, CredentialStatus } from './CredentialStatus.js';

function time(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * The status view of an instance's stored `credentials` (undefined: none stored) at `now`:
 * `obtainedAt` and `expiresAt` from the credentials, the rest from the strategy's
 * `describeCredentials`. An instance marked `reauthorization_required` is never `refreshable` and
 * has no `nextRefreshAt`, whatever its strategy says of the stored credentials. Only the
 * documented fields are copied, each checked for its type, and a
 * scope equal to a credential or secret value is dropped: a strategy's slip cannot leak a secret.
 *
 * @example
 * ```ts
 * toCredentialStatus(record, method, await repository.credentials(record.id), Date.now());
 * ```
 */
export function toCredentialStatus(
  record: InstanceRecord,
  method: CompiledMethod,
  credentials: Credentials | undefined,
  now: number,
): CredentialStatus {
  if (credentials === undefined) {
    // Credentials are about the grant: an instance waiting for a choice has none missing.
    const state = record.status === 'reauthorization_required' ? record.status : 'missing';
    return { instanceId: record.id, state, refreshable: false };
  }
  const facts: CredentialFacts = method.strategy.describeCredentials?.(credentials) ?? {};
  const secrets = new Set<string>(Object.values(credentials.values ?? {}));
  for (const key of method.secretKeys) {
    const value = record.variables[key];
    if (value !== undefined) secrets.add(value);
  }
  const scopes = Array.isArray(facts.scopes)
    ? facts.scopes.filter((scope) => typeof scope === 'string' && !secrets.has(scope))
    : undefined;
  const expiresAt = time(credentials.expiresAt);
  // A dead grant is renewed by a new consent only: the strategy refreshes no instance marked
  // `reauthorization_required`, whatever refresh token is still stored (the provider refused it,
  // or the API refused the grant).
  const dead = record.status === 'reauthorization_required';
  const nextRefreshAt = dead ? undefined : time(facts.nextRefreshAt);
  const refreshable = !dead && facts.refreshable === true;
  let state: CredentialState = 'valid';
  if (dead) state = 'reauthorization_required';
  else if (expiresAt !== undefined && expiresAt <= now) state = 'expired';
  else if (refreshable && nextRefreshAt !== undefined && nextRefreshAt <= now)
    state = 'refresh_due';
  const out: Record<string, unknown> = { instanceId: record.id, state, refreshable };
  const obtainedAt = time(credentials.obtainedAt);
  if (obtainedAt !== undefined) out['obtainedAt'] = obtainedAt;
  if (expiresAt !== undefined) out['expiresAt'] = expiresAt;
  const refreshedAt = time(facts.refreshedAt);
  if (refreshedAt !== undefined) out['refreshedAt'] = refreshedAt;
  if (nextRefreshAt !== undefined) out['nextRefreshAt'] = nextRefreshAt;
  if (scopes !== undefined) out['scopes'] = scopes;
  return out as unknown as CredentialStatus;
}
