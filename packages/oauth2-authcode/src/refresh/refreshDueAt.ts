import type { Credentials } from '@splice/core';

/**
 * When credentials are due for a proactive refresh, in epoch milliseconds: `skewMs` before they
 * expire, but never more than half their lifetime before (a provider issuing 30-second tokens
 * must not make every request refresh with the default 60-second skew). Undefined when they
 * carry no expiry. The one rule behind the token keeper's refresh and the status view.
 *
 * @example
 * ```ts
 * refreshDueAt({ values: {}, obtainedAt: 0, expiresAt: 3_600_000 }, 60_000); // 3_540_000
 * ```
 */
export function refreshDueAt(credentials: Credentials, skewMs: number): number | undefined {
  if (credentials.expiresAt === undefined) return undefined;
  const lifetime = credentials.expiresAt - credentials.obtainedAt;
  return credentials.expiresAt - Math.min(skewMs, Math.max(0, lifetime / 2));
}
