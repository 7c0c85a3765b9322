import type { AuthStrategy, JsonObject, Store } from '@splice/core';
import type { LimiterFactory } from '@splice/endpoint-runtime';

/**
 * What the module handed to the multi-process suites exports. Each process of a test — the test's
 * own and every child it starts — imports the module and builds its own store from the same JSON
 * options: a function cannot cross into another process, a module path can.
 *
 * @example
 * ```ts
 * // test/fixtures/sqliteStoreProcess.ts
 * export const createStore: StoreProcessModule['createStore'] = (options) =>
 *   new SqliteStore(options as unknown as SqliteStoreOptions);
 * export const createAuthorizationCodeStrategy = oauth2AuthorizationCode;
 * ```
 */
export interface StoreProcessModule {
  /** Builds the store under test from the test's store options. */
  createStore(options: JsonObject): Store | Promise<Store>;
  /**
   * `oauth2AuthorizationCode(options)` of `@splice/oauth2-authcode`; required by
   * `describeRuntimeOnStoreConformance`. The suite passes the time a caller waits for another
   * process's refresh lock.
   */
  createAuthorizationCodeStrategy?(options: { readonly lockWaitMs: number }): AuthStrategy;
  /**
   * `oauth2ClientCredentials(options)` of `@splice/oauth2-authcode/client-credentials`. When it is
   * exported, `describeRuntimeOnStoreConformance` also checks that processes renew an expired
   * client-credentials token with one token request.
   */
  createClientCredentialsStrategy?(options: { readonly lockWaitMs: number }): AuthStrategy;
  /**
   * A limiter factory that keeps rate limits in the store's backend (e.g.
   * `createRedisLimiterFactory`), built from the same store options. When it is exported,
   * `describeRuntimeOnStoreConformance` also checks that processes share one rate limit.
   */
  createLimiterFactory?(options: JsonObject): SharedLimiterFactory;
}

/** A runtime limiter factory with connections of its own to close. */
export type SharedLimiterFactory = LimiterFactory & { close(): Promise<void> };
