import {
  type AuthContext,
  type AuthStrategy,
  type ConnectorDefinition,
  type Credentials,
  type InstanceContext,
  type InstanceRecord,
  type JsonObject,
  type Logger,
  type ResolvedAuthMethod,
  SpliceError,
  type Store,
  storeKeys,
} from '@splice/core';
import {
  type AuthorizationStart,
  type CallbackInput,
  createInstanceLifecycle,
} from '@splice/endpoint-runtime';
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
  readonly method: ResolvedAuthMethod;
  authContext(values?: Readonly<Record<string, string>>): AuthContext;
  instanceContext(
    instance: InstanceRecord,
    values?: Readonly<Record<string, string>>,
  ): InstanceContext;
  /**
   * Adds an instance through the runtime's own lifecycle: `beginAuthorization` → consent →
   * `completeAuthorization` for interactive strategies, `addInstance` for the others — required
   * variables checked, the pending authorization taken once, instance and credentials saved with
   * compare-and-set exactly as a runtime does.
   */
  authorize(options?: AuthorizeOptions): Promise<AuthorizedInstance>;
  /**
   * The interactive first half alone (`beginAuthorization`): the pending authorization is saved
   * as a runtime saves it; finish with {@link StrategyHarness.completeCallback}.
   */
  begin(options?: Omit<AuthorizeOptions, 'consent'>): Promise<AuthorizationStart>;
  /** The interactive second half alone (`completeAuthorization`), for a callback you have. */
  completeCallback(callback: CallbackInput): Promise<AuthorizedInstance>;
}

/**
 * Tests a strategy (yours or Splice's) on the runtime's real lifecycle without endpoint calls:
 * the contexts it gets are the ones a runtime builds (resolved method, compiled templates, values
 * resolved by the one precedence rule), and instances are added by the runtime's own authorizer,
 * so `getCredentials` and `refresh` find them where a runtime would.
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
  const method = connector.authMethods.find((m) =>
    options.authMethodId === undefined ? true : m.id === options.authMethodId,
  );
  if (method === undefined) {
    throw new TypeError(
      `createStrategyHarness: connector "${connector.id}" has no auth method "${String(options.authMethodId)}"`,
    );
  }
  const authMethodId = method.id;
  const lifecycle = createInstanceLifecycle({
    connectors: [connector],
    strategies: [strategy],
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.callbackUrl === undefined ? {} : { callbackUrl: options.callbackUrl }),
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  const { store } = lifecycle;

  async function authorized(instanceId: string): Promise<AuthorizedInstance> {
    const instance = await lifecycle.record(instanceId);
    const entry = await store.get<JsonObject>(storeKeys.credentials(instanceId));
    if (entry === undefined) {
      throw new SpliceError('CREDENTIALS_INVALID', `Instance "${instanceId}" has no credentials.`);
    }
    const credentials = entry.value as unknown as Credentials;
    return { instance, credentials, ctx: lifecycle.instanceContext(instance) };
  }

  async function completeCallback(callback: CallbackInput): Promise<AuthorizedInstance> {
    return authorized((await lifecycle.complete(callback)).id);
  }

  const addInput = (authorizeOptions: Omit<AuthorizeOptions, 'consent'>) => ({
    connectorId: connector.id,
    authMethodId,
    name: authorizeOptions.name ?? 'test instance',
    variables: { ...options.values, ...authorizeOptions.values },
  });

  async function authorize(authorizeOptions: AuthorizeOptions = {}): Promise<AuthorizedInstance> {
    const input = addInput(authorizeOptions);
    if (!strategy.interactive) return authorized((await lifecycle.add(input)).id);
    const { authorizationUrl } = await lifecycle.begin(input);
    const consent = authorizeOptions.consent ?? ((url: string) => completeConsent(url));
    return completeCallback(await consent(authorizationUrl));
  }

  return {
    strategy,
    store,
    method: lifecycle.method(connector.id, authMethodId),
    authContext: (values) =>
      lifecycle.authContext(connector.id, authMethodId, { ...options.values, ...values }),
    instanceContext: (instance, values) => lifecycle.instanceContext(instance, values),
    authorize,
    begin: (beginOptions = {}) => lifecycle.begin(addInput(beginOptions)),
    completeCallback,
  };
}
