import type { CredentialFacts, Credentials } from '@splice/core';
import { refreshDueAt } from './refreshDueAt.js';

/**
 * The OAuth 2 strategy's secret-free facts about stored credentials: the granted scopes (the
 * token response's `scope`, RFC 6749 §5.1, split at spaces), whether a refresh token is held
 * (§6), when the proactive refresh is due (`refreshDueAt`) and when the credentials were last
 * refreshed (`meta.refreshedAt`, written by the token keeper). `renewable` overrides the
 * refresh-token test: the client-credentials strategy renews with the client's own credentials.
 *
 * @example
 * ```ts
 * describeOAuthCredentials(credentials, 60_000); // { scopes: ['orders.read'], refreshable: true, ... }
 * ```
 */
export function describeOAuthCredentials(
  credentials: Credentials,
  refreshSkewMs: number,
  renewable?: boolean,
): CredentialFacts {
  const refreshToken = credentials.values['refresh_token'];
  const refreshable = renewable ?? (refreshToken !== undefined && refreshToken !== '');
  const scope = credentials.meta?.['scope'];
  const refreshedAt = credentials.meta?.['refreshedAt'];
  const due = refreshable ? refreshDueAt(credentials, refreshSkewMs) : undefined;
  return {
    refreshable,
    ...(typeof scope === 'string' ? { scopes: scope.split(/[\s,]+/).filter((s) => s !== '') } : {}),
    ...(due === undefined ? {} : { nextRefreshAt: due }),
    ...(typeof refreshedAt === 'number' ? { refreshedAt } : {}),
  };
}
