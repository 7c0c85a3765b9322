import { randomUUID } from 'node:crypto';
import {
  type AuthContext,
  type AuthMethodDefinition,
  type AuthStrategy,
  type ConnectorDefinition,
  type Credentials,
  type InstanceContext,
  type InstanceRecord,
  type JsonObject,
  type Logger,
  MemoryStore,
  mergeVariables,
  noopLogger,
  PENDING_AUTHORIZATION_TTL_MS,
  SpliceError,
  type Store,
  savePendingAuthorization,
  storeKeys,
  takePendingAuthorization,
} from '@splice/core';
import { completeConsent } from '../authorizationServer/completeConsent.js';

/** Options of {@link createStrategyHarness}. */
export interface StrategyHarnessOptions {
  readonly strategy: AuthStrategy;
  readonly connector: ConnectorDefinition;
  /** Which auth method; default the first of the connector. */
  readonly authMethodId?: string;
  /** Connector and auth variable values, as a user would enter them. */
  readonly values?: Readonly<Record<string, string>>;
  readonly store?: Store;
  readonly callbackUrl?: string;
  /** An undici Dispatcher passed to the strategy. */
  readonly dispatcher?: object;
  readonly logger?: Logger;
  /** Epoch-millisecond clock given to the strategy; default `Date.now`. */
  readonly now?: () => number;
}

/** Options of {@link StrategyHarness.authorize}. */
export interface AuthorizeOptions {
  /** Values for this instance, over the harness's. */
  readonly values?: Readonly<Record<string, string>>;
  readonly name?: string;
  /** Plays the user: gets the authorise URL, returns the callback URL. Default {@link completeConsent}. */
  readonly consent?: (authorizationUrl: string) => Promise<string>;
}

/** An authorized instance. */
export interface AuthorizedInstance {
  readonly instance: InstanceRecord;
  readonly credentials: Credentials;
  readonly ctx: InstanceContext;
}

/** What {@link createStrategyHarness} returns. */
export interface StrategyHarness {
  readonly strategy: AuthStrategy;
  readonly store: Store;
  /** The method with the strategy's locked default variables merged in, as the runtime does. */
  readonly method: AuthMethodDefinition;
  authContext(values?: Readonly<Record<string, string>>): AuthContext;
  instanceContext(
    instance: InstanceRecord,
    values?: Readonly<Record<string, string>>,
  ): InstanceContext;
  /**
   * Adds an instance as the runtime does: `begin` → pending authorization saved → consent →
   * pending taken once by the callback's state → `complete` → instance and credentials saved;
   * or `authenticate` for non-interactive strategies.
   */
  authorize(options?: AuthorizeOptions): Promise<AuthorizedInstance>;
  /** The interactive second half alone, for a callback URL or query you already have. */
  completeCallback(callback: string | URLSearchParams): Promise<AuthorizedInstance>;
}

/**
 * Builds the contexts a runtime would give a strategy, without the runtime: for testing a
 * strategy (yours or Splice's) on its own. Instances are saved in the store under
 * `storeKeys.instance(id)` and their credentials under `storeKeys.credentials(id)`, as the runtime
 * does, so `getCredentials` and `refresh` find them.
 *
 * @example
 * ```ts
 * const harness = createStrategyHarness({ strategy: oauth2AuthorizationCode(), connector,
 *   values: { client_id: sim.clientId, client_secret: sim.clientSecret },
 *   callbackUrl: 'http://127.0.0.1:1/callback' });
 * const { ctx } = await harness.authorize();
 * const credentials = await harness.strategy.getCredentials(ctx);
 * ```
 */
export function createStrategyHarness(options: StrategyHarnessOptions): StrategyHarness {
  const { strategy, connector } = options;
  const base =
    options.authMethodId === undefined
      ? connector.authMethods[0]
      : connector.authMethods.find((m) => m.id === options.authMethodId);
  if (base === undefined) {
    throw new TypeError(
      `createStrategyHarness: connector "${connector.id}" has no such auth method`,
    );
  }
  const method: AuthMethodDefinition = {
    ...base,
    variables: mergeVariables(strategy.variables, base.variables),
  };
  const mergedConnector: ConnectorDefinition = {
    ...connector,
    authMethods: connector.authMethods.map((m) => (m.id === method.id ? method : m)),
  };
  const store = options.store ?? new MemoryStore();
  const now = options.now ?? Date.now;

  const resolve = (extra: Readonly<Record<string, string>> = {}): Record<string, string> => {
    const values: Record<string, string> = {};
    for (const v of [...connector.variables, ...method.variables])
      if (v.default !== undefined) values[v.key] = v.default;
    return { ...values, ...options.values, ...extra };
  };

  const authContext = (values?: Readonly<Record<string, string>>): AuthContext => ({
    connector: mergedConnector,
    method,
    values: resolve(values),
    ...(options.callbackUrl === undefined ? {} : { callbackUrl: options.callbackUrl }),
    store,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    logger: options.logger ?? noopLogger,
    now,
  });

  const instanceContext = (
    instance: InstanceRecord,
    values?: Readonly<Record<string, string>>,
  ): InstanceContext => ({ ...authContext({ ...instance.variables, ...values }), instance });

  async function save(
    values: Record<string, string>,
    credentials: Credentials,
    name: string,
  ): Promise<AuthorizedInstance> {
    const stamp = new Date(now()).toISOString();
    const instance: InstanceRecord = {
      id: randomUUID(),
      name,
      connectorId: connector.id,
      authMethodId: method.id,
      status: 'active',
      variables: values,
      createdAt: stamp,
      updatedAt: stamp,
    };
    await store.set(storeKeys.instance(instance.id), instance as unknown as JsonObject);
    await store.set(storeKeys.credentials(instance.id), credentials as unknown as JsonObject);
    return { instance, credentials, ctx: instanceContext(instance) };
  }

  async function completeCallback(callback: string | URLSearchParams): Promise<AuthorizedInstance> {
    if (strategy.complete === undefined) throw new TypeError('strategy has no complete()');
    const params =
      typeof callback === 'string'
        ? new URL(callback, 'http://callback.invalid').searchParams
        : callback;
    const pending = await takePendingAuthorization(store, params.get('state') ?? '', now());
    if (pending === undefined) {
      throw new SpliceError(
        'AUTH_STATE_INVALID',
        'The callback\'s "state" is unknown, expired or already used. Start the authorization again.',
      );
    }
    const ctx = authContext(pending.variables);
    const credentials = await strategy.complete(ctx, { params, data: pending.data });
    return save({ ...pending.variables }, credentials, pending.name);
  }

  async function authorize(authorizeOptions: AuthorizeOptions = {}): Promise<AuthorizedInstance> {
    const values = { ...options.values, ...authorizeOptions.values };
    const name = authorizeOptions.name ?? 'test instance';
    const ctx = authContext(authorizeOptions.values);
    if (!strategy.interactive) {
      if (strategy.authenticate === undefined)
        throw new TypeError('strategy has no authenticate()');
      return save(values, await strategy.authenticate(ctx), name);
    }
    if (strategy.begin === undefined) throw new TypeError('strategy has no begin()');
    const request = await strategy.begin(ctx);
    await savePendingAuthorization(store, request.state, {
      connectorId: connector.id,
      authMethodId: method.id,
      name,
      variables: values,
      data: request.data,
      expiresAt: now() + PENDING_AUTHORIZATION_TTL_MS,
    });
    const consent = authorizeOptions.consent ?? ((url: string) => completeConsent(url));
    return completeCallback(await consent(request.authorizationUrl));
  }

  return { strategy, store, method, authContext, instanceContext, authorize, completeCallback };
}
