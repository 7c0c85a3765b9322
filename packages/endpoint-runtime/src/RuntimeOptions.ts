import type { AuthStrategy, ConnectorDefinition, Logger, RateLimit, Store } from '@splice/core';
import type Bottleneck from 'bottleneck';
import type { ContainerModule } from 'inversify';
import type { Dispatcher } from 'undici';
import type { Layer } from './pipeline/EndpointCall.js';

/**
 * Makes the bottleneck limiter of one instance. The runtime passes the limiter options it derived
 * from the instance's (or connector's) `rateLimit` plus a stable `id`
 * (`splice:rate-limit:<connectorId>:<instanceId>`), so a factory backed by bottleneck's Redis
 * datastore shares the limit across processes.
 *
 * @example
 * ```ts
 * const limiterFactory: LimiterFactory = (options) => new Bottleneck(options); // the default
 * ```
 */
export type LimiterFactory = (
  options: Bottleneck.ConstructorOptions & { readonly id: string },
) => Bottleneck;

/**
 * How the retry layer retries network failures, 429 and 5xx answers.
 *
 * @example
 * ```ts
 * createRuntime({ connectors, strategies, retry: { retries: 4, minDelayMs: 100 } });
 * ```
 */
export interface RetryOptions {
  /** Retries after the first attempt. Default 2; 0 turns retrying off. */
  readonly retries?: number;
  /** Backoff before the first retry, doubled for each further one (with jitter). Default 250. */
  readonly minDelayMs?: number;
  /**
   * Upper bound of one wait. A `Retry-After` asking for longer is not waited for: the answer is
   * returned as the final `ENDPOINT_HTTP_ERROR` at once, its headers included. Default 30,000.
   */
  readonly maxDelayMs?: number;
}

/**
 * Options of {@link createRuntime}.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({
 *   connectors: [parseConnector(yamlText, { strategies })],
 *   strategies: [oauth2AuthorizationCode()],
 *   store: new SqliteStore({ path: 'splice.db' }),
 *   callbackUrl: 'https://flows.example/oauth/callback',
 * });
 * ```
 */
export interface RuntimeOptions {
  /** Parsed connector definitions (`parseConnector`, `parseConnectorText`, `loadConnector`). */
  readonly connectors: readonly ConnectorDefinition[];
  /** Strategies, one per method `type`; modules may bind more under `SpliceServices.Strategy`. */
  readonly strategies?: readonly AuthStrategy[];
  /** Where instances and credentials live. Default: a new `MemoryStore`. */
  readonly store?: Store;
  /** The default OAuth `redirect_uri`; a method's `callback_url` variable overrides it. */
  readonly callbackUrl?: string;
  /**
   * The undici 7 dispatcher every request goes through (proxies, tests): an `Agent`, `Pool` or
   * `Client` of undici 7, or one composed from them. Default: an undici `Agent` with keep-alive
   * owned and closed by the runtime. Errors (`TypeError`, code `INVALID_OPTION`): at once for an
   * object without `dispatch`; at the first request (endpoint call or token request, nothing
   * sent, not retried) for a dispatcher of undici before 7, such as Node's built-in fetch's.
   */
  readonly dispatcher?: Dispatcher;
  readonly logger?: Logger;
  /** Epoch-milliseconds clock (expiry, timestamps). Default `Date.now`. */
  readonly now?: () => number;
  /** Makes per-instance rate limiters. Default `(options) => new Bottleneck(options)`. */
  readonly limiterFactory?: LimiterFactory;
  /**
   * The engine's own pipeline layers (logging, circuit breaker, metrics), in order, outermost
   * first. They run below the auth layer for every HTTP attempt of every call — retries and the
   * replay after a refresh included — and see `call.request`, which holds credentials (never log
   * its headers). Sugar for binding them under `RuntimeServices.Layer` in a module.
   */
  readonly layers?: readonly Layer[];
  /** Extra inversify container modules, loaded after the runtime's own (they may `rebind`). */
  readonly modules?: readonly ContainerModule[];
  readonly retry?: RetryOptions;
  /** Largest response body read, in bytes; a bigger one fails the call. Default 16 MiB. */
  readonly maxResponseBytes?: number;
  /**
   * How long, in ms, a process trusts its cached `reauthorization_required` status of an
   * instance before a call re-reads the record from the store (another process sharing it may
   * have renewed the instance). Default 2000; 0 re-reads on every refused call. Healthy
   * instances are never re-read on the call path.
   */
  readonly statusRecheckMs?: number;
  /**
   * Most instance sessions (an instance's strategy context, rate limiter and rendered requests,
   * with the strategy's cached credentials ~1.8 KB each for OAuth 2 and one endpoint) kept loaded
   * between calls; whole number >= 2, default 1,000. Beyond it the least recently called idle
   * instances' sessions are dropped (the strategy is told to `release` them) and rebuilt by their
   * next call (store reads of the record and credentials); between half of it and all of it stay
   * loaded. A session
   * whose rate limiter still holds calls is kept. `INVALID_OPTION` when not a whole number >= 2.
   */
  readonly sessionCacheSize?: number;
}

/**
 * Input of `beginAuthorization` and `addInstance`.
 *
 * @example
 * ```ts
 * await runtime.addInstance({ connectorId: 'acme', authMethodId: 'acme-token', name: 'Ops',
 *   variables: { account: 'northwind', token }, rateLimit: { amount: 2, unit: 'second' } });
 * ```
 */
export interface AddInstanceInput {
  readonly connectorId: string;
  readonly authMethodId: string;
  /** The instance's display name. */
  readonly name: string;
  /** Connector and auth variable values the user entered. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Overrides the connector's `rateLimit` for this instance. */
  readonly rateLimit?: RateLimit;
}

/**
 * Input of `beginAuthorization` that renews an existing instance's consent.
 *
 * @example
 * ```ts
 * const { authorizationUrl } = await runtime.beginAuthorization({ instanceId: instance.id });
 * ```
 */
export interface ReauthorizeInput {
  /** The instance to re-authorize; connector, method and name are taken from it. */
  readonly instanceId: string;
  /** Changed variable values; the saved ones are kept otherwise. */
  readonly variables?: Readonly<Record<string, string>>;
}

/**
 * What `updateInstance` changes; a field left out keeps its value.
 *
 * @example
 * ```ts
 * await runtime.updateInstance(instance, { name: 'Acme EU (prod)', variables: { region: 'eu-2' },
 *   rateLimit: null });
 * ```
 */
export interface InstanceChanges {
  /** The new display name (non-empty). */
  readonly name?: string;
  /**
   * New values of configurable connector and auth variables, each replacing its saved one; the
   * others are kept. Credentials are not variables: they change only through a new consent.
   */
  readonly variables?: Readonly<Record<string, string>>;
  /** The instance's own rate limit; `null` removes it, so the connector's `rateLimit` applies. */
  readonly rateLimit?: RateLimit | null;
  /**
   * Run the method's post-authorization steps again after the other changes (the user connected
   * another Xero organisation, a Jira site was renamed): their captured values are replaced, and
   * a step offering several choices puts the instance in `pending_choice` again.
   */
  readonly rerunPostAuthorization?: boolean;
}

/**
 * What `beginAuthorization` returns: where to send the user.
 *
 * @example
 * ```ts
 * const { authorizationUrl, expiresAt } = await runtime.beginAuthorization(input);
 * res.redirect(authorizationUrl);
 * ```
 */
export interface AuthorizationStart {
  readonly authorizationUrl: string;
  /** The one-time state the callback must carry back. */
  readonly state: string;
  /** Epoch milliseconds after which the callback is refused. */
  readonly expiresAt: number;
}

/**
 * Per-call input of `callEndpoint`.
 *
 * @example
 * ```ts
 * await runtime.callEndpoint(instance, 'create-order', {
 *   variables: { account: 'eu' }, body: { sku: 'A1', qty: 2 }, headers: { 'Idempotency-Key': key },
 *   signal: AbortSignal.timeout(60_000) });
 * ```
 */
export interface CallInput {
  /** Endpoint (or any) variable values; they win over the instance's saved values and defaults. */
  readonly variables?: Readonly<Record<string, string>>;
  /** Merged after the method's and endpoint's body tabs: an object merges, anything else replaces. */
  readonly body?: unknown;
  /** Merged after the method's and endpoint's header tabs (names are case-insensitive). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Merged after the method's and endpoint's URL-parameter tabs. */
  readonly query?: Readonly<Record<string, string>>;
  /** Cancels the call (queued, waiting for a retry, or in flight). */
  readonly signal?: AbortSignal;
}

/**
 * What `callEndpoint` resolves to for a 2xx answer.
 *
 * @example
 * ```ts
 * const { status, data } = await runtime.callEndpoint<{ orders: Order[] }>(instance, 'list-orders');
 * ```
 */
export interface EndpointResult<T = unknown> {
  readonly status: number;
  /** Response headers, names lower-case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The raw response text. */
  readonly body: string;
  /**
   * `json` endpoints: the parsed body (`undefined` when empty); other data types: the raw text.
   */
  readonly data: T;
}
