import {
  type AuthStrategy,
  type ConnectorDefinition,
  CREDENTIAL_KEYS,
  type Credentials,
  type JsonObject,
  type JsonValue,
  MemoryStore,
  SpliceError,
  type StoreEntry,
  storeKeys,
} from '@splice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStrategyHarness, type StrategyHarness } from './createStrategyHarness.js';

/** What a conformance run needs: a connector for the strategy and a world to authorize in. */
export interface ConformanceSetup {
  readonly connector: ConnectorDefinition;
  readonly authMethodId?: string;
  /** Values a user would enter (client id and secret, API key...). */
  readonly values: Readonly<Record<string, string>>;
  readonly callbackUrl?: string;
  /** Plays the user for interactive strategies; default `completeConsent`. */
  readonly consent?: (authorizationUrl: string) => Promise<string>;
  /** Stops servers started by `setup`. */
  readonly teardown?: () => Promise<void>;
}

/** Options of {@link describeStrategyConformance}. */
export interface ConformanceOptions {
  /** Suite title, e.g. the strategy type. */
  readonly name: string;
  /** Makes a fresh strategy; called once per suite. */
  readonly strategy: () => AuthStrategy;
  /** Starts whatever the strategy talks to and describes the connector. */
  readonly setup: () => Promise<ConformanceSetup>;
}

// Wraps a store to count reads, to prove the cached path does no I/O.
class CountingStore extends MemoryStore {
  reads = 0;
  override async get<T extends JsonValue = JsonValue>(
    key: string,
  ): Promise<StoreEntry<T> | undefined> {
    this.reads += 1;
    return super.get<T>(key);
  }
}

function isCoded(error: unknown): boolean {
  return SpliceError.is(error) || (error instanceof TypeError && 'code' in error);
}

/**
 * Registers a vitest suite that checks the `AuthStrategy` contract of SPEC §4/§5 any strategy
 * must keep: locked, unique, non-credential default variables; a usable `apply`; the
 * interactive/non-interactive shape; a definition the strategy itself accepts; credentials after
 * authorization; a cached `getCredentials` that does no store I/O; `refresh` adopting stored
 * credentials that already replaced the rejected ones; coded errors; no secret value in the
 * authorise URL or in error messages.
 *
 * @example
 * ```ts
 * describeStrategyConformance({
 *   name: 'api-key',
 *   strategy: () => apiKeyAuth(),
 *   setup: async () => ({ connector, values: { api_key: 'k-123456' } }),
 * });
 * ```
 */
export function describeStrategyConformance(options: ConformanceOptions): void {
  describe(`AuthStrategy conformance: ${options.name}`, () => {
    let strategy: AuthStrategy;
    let setup: ConformanceSetup;
    let store: CountingStore;
    let harness: StrategyHarness;

    beforeAll(async () => {
      strategy = options.strategy();
      setup = await options.setup();
      store = new CountingStore();
      harness = createStrategyHarness({
        strategy,
        connector: setup.connector,
        ...(setup.authMethodId === undefined ? {} : { authMethodId: setup.authMethodId }),
        values: setup.values,
        store,
        ...(setup.callbackUrl === undefined ? {} : { callbackUrl: setup.callbackUrl }),
      });
    });
    afterAll(async () => {
      await strategy?.close?.();
      await setup?.teardown?.();
    });

    const secrets = (): string[] => {
      const keys = new Set(harness.method.variables.filter((v) => v.secret).map((v) => v.key));
      return Object.entries(setup.values)
        .filter(([key, value]) => keys.has(key) && value.length >= 4)
        .map(([, value]) => value);
    };
    const authorize = () =>
      harness.authorize(setup.consent === undefined ? {} : { consent: setup.consent });

    it('declares a type and locked, unique default variables that are not credential keys', () => {
      expect(strategy.type).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      const keys = strategy.variables.map((v) => v.key);
      expect(new Set(keys).size).toBe(keys.length);
      for (const variable of strategy.variables) {
        expect(variable.locked, `${variable.key} must be locked`).toBe(true);
        expect(CREDENTIAL_KEYS as readonly string[]).not.toContain(variable.key);
        if (variable.default !== undefined)
          expect(variable.default.length).toBeLessThanOrEqual(1024);
      }
    });

    it('has an apply with header and query templates', () => {
      expect(typeof strategy.apply.headers).toBe('object');
      expect(typeof strategy.apply.query).toBe('object');
      for (const value of [
        ...Object.values(strategy.apply.headers),
        ...Object.values(strategy.apply.query),
      ])
        expect(typeof value).toBe('string');
    });

    it('implements the half of the contract its interactivity promises', () => {
      expect(typeof strategy.getCredentials).toBe('function');
      if (strategy.interactive) {
        expect(typeof strategy.begin).toBe('function');
        expect(typeof strategy.complete).toBe('function');
      } else {
        expect(typeof strategy.authenticate).toBe('function');
      }
    });

    it('accepts the definition used for this suite', () => {
      expect(strategy.validateMethod?.(harness.method) ?? []).toEqual([]);
    });

    it('begins with fresh state, a URL, JSON data and no secret', async () => {
      if (!strategy.interactive || strategy.begin === undefined) return;
      const first = await strategy.begin(harness.authContext());
      const second = await strategy.begin(harness.authContext());
      expect(first.state).not.toBe(second.state);
      expect(() => new URL(first.authorizationUrl)).not.toThrow();
      expect(JSON.parse(JSON.stringify(first.data))).toEqual(first.data);
      for (const secret of secrets()) expect(first.authorizationUrl).not.toContain(secret);
    });

    it('obtains credentials and serves them from cache without store reads', async () => {
      const { ctx, credentials } = await authorize();
      expect(Object.keys(credentials.values).length).toBeGreaterThan(0);
      const first = await strategy.getCredentials(ctx);
      expect(first.values).toEqual(credentials.values);
      const reads = store.reads;
      const again = await strategy.getCredentials(ctx);
      expect(again.values).toEqual(credentials.values);
      expect(store.reads).toBe(reads);
    });

    it('reads the store again after forget', async () => {
      const { ctx } = await authorize();
      await strategy.getCredentials(ctx);
      const reads = store.reads;
      strategy.forget?.(ctx.instance.id);
      await strategy.getCredentials(ctx);
      expect(store.reads).toBe(strategy.forget === undefined ? reads : reads + 1);
    });

    it('reads the store again after release, and serves the same credentials', async () => {
      const { ctx, credentials } = await authorize();
      await strategy.getCredentials(ctx);
      const reads = store.reads;
      strategy.release?.(ctx.instance.id);
      const again = await strategy.getCredentials(ctx);
      expect(again.values).toEqual(credentials.values);
      expect(store.reads).toBe(strategy.release === undefined ? reads : reads + 1);
    });

    it('refresh adopts stored credentials that already replaced the rejected ones', async () => {
      if (strategy.refresh === undefined) return;
      const { ctx, credentials } = await authorize();
      const replaced: Credentials = {
        values: Object.fromEntries(
          Object.keys(credentials.values).map((k) => [k, `replaced-${k}-value`]),
        ),
        obtainedAt: ctx.now(),
        expiresAt: ctx.now() + 3_600_000,
      };
      await harness.store.set(
        storeKeys.credentials(ctx.instance.id),
        replaced as unknown as JsonObject,
      );
      const result = await strategy.refresh(ctx, credentials);
      expect(result.values).toEqual(replaced.values);
    });

    it('fails with a coded error, free of secrets, for an instance without credentials', async () => {
      const { ctx } = await authorize();
      await harness.store.delete(storeKeys.credentials(ctx.instance.id));
      strategy.forget?.(ctx.instance.id);
      const error = await strategy.getCredentials(ctx).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isCoded(error)).toBe(true);
      for (const secret of secrets())
        expect(String((error as Error).message)).not.toContain(secret);
    });

    it('tells a 200 response apart from an expired-credential one', async () => {
      if (strategy.isExpiredResponse === undefined) return;
      const { ctx } = await authorize();
      expect(strategy.isExpiredResponse(ctx, { status: 200, headers: {} })).toBe(false);
    });
  });
}
