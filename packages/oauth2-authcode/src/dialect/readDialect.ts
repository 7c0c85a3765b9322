import {
  type BodyRule,
  DEFAULT_BEARER_TOKEN_TYPES,
  DEFAULT_INVALID_GRANT_ERRORS,
  type ResolvedAuthMethod,
} from '@splice/core';

/** A method's `dialect` with the defaults filled in. */
export interface ProviderDialect {
  /** OAuth `error` values of a refresh answer that mean a dead grant. */
  readonly invalidGrantErrors: ReadonlySet<string>;
  /** Statuses of a refresh answer that mean a dead grant whatever the body. */
  readonly invalidGrantStatuses: ReadonlySet<number>;
  /** Rules on a small JSON body of a refused refresh that mean a dead grant; empty for none. */
  readonly invalidGrantBody: readonly BodyRule[];
  /** Rules on a small JSON endpoint answer that mean an expired access token; empty for none. */
  readonly invalidTokenBody: readonly BodyRule[];
  /** `token_type` values, lower-case, that the default apply sends as Bearer. */
  readonly bearerTokenTypes: ReadonlySet<string>;
}

/**
 * Reads a method's `dialect` (connector definition) with the defaults: dead-grant errors are the
 * defaults (`invalid_grant`, GitHub's `bad_refresh_token`) plus the method's own; bearer token
 * types are the method's list or the default (`bearer`, Slack's `bot` and `user`). Plain data in,
 * plain data out: nothing is kept.
 *
 * @example
 * ```ts
 * readDialect(ctx.method).invalidGrantErrors.has('bad_refresh_token'); // true
 * ```
 */
export function readDialect(method: Pick<ResolvedAuthMethod, 'dialect'>): ProviderDialect {
  const dialect = method.dialect;
  return {
    invalidGrantErrors: new Set([
      ...DEFAULT_INVALID_GRANT_ERRORS,
      ...(dialect?.invalidGrant?.errors ?? []),
    ]),
    invalidGrantStatuses: new Set(dialect?.invalidGrant?.statuses ?? []),
    invalidGrantBody: dialect?.invalidGrant?.body ?? [],
    invalidTokenBody: dialect?.invalidToken?.body ?? [],
    bearerTokenTypes: new Set(
      (dialect?.bearerTokenTypes ?? DEFAULT_BEARER_TOKEN_TYPES).map((t) => t.toLowerCase()),
    ),
  };
}
