import type {
  ApplyDefinition,
  JsonObject,
  ResolvedAuthMethod,
  ResolvedConnector,
  VariableDefinition,
} from '../definition/types.js';
import type { Credentials, InstanceRecord } from '../instance/Instance.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/Store.js';
import type { CompiledRequestParts, NamedTemplate } from '../template/compileRequestParts.js';
import type { Template } from '../template/template.js';

/** A problem found in a definition, with the path of the offending field. */
export interface DefinitionIssue {
  /** Dotted path with indexes, e.g. `authMethods[0].urls.token`. */
  readonly path: string;
  readonly message: string;
  /**
   * A stable, machine-readable kind of problem (`unknown_field`, `required`, `duplicate`,
   * `insecure_url`, ...). Optional: strategies may leave it out.
   */
  readonly code?: string;
  /** For a syntax error of the file: where it is, 1-based. */
  readonly line?: number;
  readonly column?: number;
}

/**
 * An auth method's templates, compiled once by the runtime's catalog: strategies render them with
 * the context's values and never compile a template per request.
 *
 * @example
 * ```ts
 * const tokenUrl = ctx.templates.urls['token']?.render(ctx.values);
 * ```
 */
export interface MethodTemplates {
  /** The method's `urls` (`token`, `authorise`, `reauthenticate`, ...), compiled as URL templates. */
  readonly urls: Readonly<Record<string, Template>>;
  /**
   * The method's URL-parameter, header and body tabs. Interactive strategies put `query` on the
   * authorisation URL (and nowhere else); `headers` and `body` go on auth requests.
   */
  readonly request: CompiledRequestParts;
  /**
   * The method's `tokenRequest` parts (`query` always empty): laid over `request` on token
   * requests only (code exchange, refresh; OAuth 1 credential requests).
   */
  readonly tokenRequest: CompiledRequestParts;
  /**
   * How the credential goes on a request: the method's `apply`, else the strategy's (header names
   * lower-case). Render with the values and the credentials' values laid over them, e.g. to check
   * credentials at a test URL exactly as endpoint requests will carry them.
   */
  readonly apply: {
    readonly headers: readonly NamedTemplate[];
    readonly query: readonly NamedTemplate[];
  };
}

/**
 * What a strategy gets for every auth operation. Built by the runtime once per method or instance
 * and reused; strategies must not mutate it.
 */
export interface AuthContext {
  /** The connector, each auth method resolved against its strategy. */
  readonly connector: ResolvedConnector;
  /** The method, with the strategy's locked default variables merged in. */
  readonly method: ResolvedAuthMethod;
  /** The method's templates, compiled once. */
  readonly templates: MethodTemplates;
  /**
   * Resolved variable values (connector + auth variables): call input, then the instance's saved
   * values, then definition defaults. Credential keys never appear here.
   */
  readonly values: Readonly<Record<string, string>>;
  /** The runtime's default redirect URI; the `callback_url` variable overrides it. */
  readonly callbackUrl?: string;
  readonly store: Store;
  /** An undici `Dispatcher` for outgoing requests (tests, proxies); undefined means the global one. */
  readonly dispatcher?: object;
  readonly logger: Logger;
  /** Epoch milliseconds; injectable so expiry can be tested without sleeping. */
  readonly now: () => number;
}

/** {@link AuthContext} of an existing instance. */
export interface InstanceContext extends AuthContext {
  readonly instance: InstanceRecord;
}

/** What an interactive strategy's `begin` returns. */
export interface AuthorizationRequest {
  /** Where to send the user (the provider's consent page). */
  readonly authorizationUrl: string;
  /** The one-time `state` that the callback must carry back. */
  readonly state: string;
  /**
   * What `complete` will need (e.g. the PKCE verifier, redirect URI). Kept in the store as a
   * pending authorization for 10 minutes, encrypted at rest when the store has a key.
   */
  readonly data: JsonObject;
}

/** What an interactive strategy's `complete` receives. */
export interface AuthorizationCallback {
  /** The callback's query parameters (`code`, `state`, `iss`, `error`, ...). */
  readonly params: URLSearchParams;
  /** The `data` that `begin` returned for this state. */
  readonly data: JsonObject;
}

/**
 * An endpoint response, for expired-credential detection: any status (some APIs report an
 * expired token inside a 200).
 */
export interface ResponseSummary {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The body as UTF-8 text, when the runtime has read it whole (it reads endpoint answers whole,
   * up to `maxResponseBytes`); absent otherwise — a strategy never reads a body to look. A strategy
   * looks only at a small one (see `EXPIRED_TOKEN_BODY_MAX_BYTES`).
   */
  readonly body?: string;
}

/**
 * Secret-free facts a strategy tells about an instance's stored credentials, for a status view
 * (`runtime.credentialStatus`). Times are epoch milliseconds. Only these fields are read; a
 * strategy leaves out what it does not know. Never put a token, code, verifier or secret here.
 *
 * @example
 * ```ts
 * const facts: CredentialFacts = { scopes: ['orders.read'], refreshable: true,
 *   nextRefreshAt: credentials.expiresAt! - 60_000 };
 * ```
 */
export interface CredentialFacts {
  /** The scopes the provider granted (RFC 6749 §3.3 `scope`, split at spaces). */
  readonly scopes?: readonly string[];
  /** Whether the strategy holds a way to renew the credential without the user (a refresh token). */
  readonly refreshable?: boolean;
  /** When the strategy will renew the credential before it expires (proactive refresh). */
  readonly nextRefreshAt?: number;
  /** When the credentials were last renewed without the user; absent when not since consent. */
  readonly refreshedAt?: number;
}

/**
 * An endpoint request about to be sent, as a strategy's `sign` sees it: fully rendered (tabs,
 * call input and `apply` merged), exactly what goes on the wire.
 *
 * @example
 * ```ts
 * const request: OutgoingRequest = { method: 'POST', url: 'https://api.example/orders?page=2',
 *   headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'status=open' };
 * ```
 */
export interface OutgoingRequest {
  /** The HTTP method, upper-case. */
  readonly method: string;
  /** The absolute URL, query included, as sent. */
  readonly url: string;
  /** Header names lower-case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as sent (form or JSON text, bytes); undefined when there is none. */
  readonly body: string | Uint8Array | undefined;
}

/**
 * What a strategy's `sign` adds to one request.
 *
 * @example
 * ```ts
 * const signature: RequestSignature = { headers: { authorization: 'OAuth oauth_consumer_key="…", …' } };
 * ```
 */
export interface RequestSignature {
  /** Headers set on the request, replacing any of the same name (case-insensitively). */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * An authentication strategy: a plug-in that knows one method `type`. Splice ships
 * `oauth2-authorization-code` and `oauth2-client-credentials` (`@splice/oauth2-authcode`, the
 * latter as its `/client-credentials` entry) and `token`, `basic`, `oauth1`,
 * `oauth1-pre-issued` (`@splice/strategies`); engines register their own. A strategy is made by a
 * factory that checks its options at once and returns this object.
 *
 * Interactive strategies (a user is sent to a consent page) implement `begin` and `complete`;
 * non-interactive ones implement `authenticate`. Every strategy implements `getCredentials`.
 * Most strategies put the credential on requests with static `apply` templates; a strategy whose
 * credential depends on the request itself (OAuth 1 signatures, HMAC request signing) also
 * implements `sign`, which the runtime calls for every request it sends.
 *
 * @example
 * ```ts
 * export function apiKeyAuth(): AuthStrategy {
 *   return {
 *     type: 'api-key',
 *     interactive: false,
 *     variables: [{ key: 'api_key', required: true, secret: true, configurable: true,
 *                   advanced: false, locked: true }],
 *     apply: { headers: { 'X-Api-Key': '{{api_key}}' }, query: {} },
 *     async authenticate(ctx) { return { values: {}, obtainedAt: ctx.now() }; },
 *     async getCredentials(ctx) { return { values: {}, obtainedAt: ctx.now() }; },
 *   };
 * }
 * ```
 */
export interface AuthStrategy {
  /** The `type` value in connector definitions this strategy handles. */
  readonly type: string;
  /** True when adding an instance sends the user through a consent page (`begin`/`complete`). */
  readonly interactive: boolean;
  /**
   * True when the strategy reads the method's `captured` values (callback parameters, token-response
   * fields) and returns them as `Credentials.captured`, with core's `captureValues`. The runtime
   * refuses a method that declares `captured` values for a strategy without it
   * (`CONNECTOR_INVALID`): they would never arrive.
   */
  readonly capturesValues?: boolean;
  /**
   * Variable keys that {@link AuthStrategy.authenticate} spends and the runtime never saves with
   * the instance: a one-time input such as OAuth 2's `oauth_authorised_code` (a code is used once,
   * RFC 6749 §4.1.2 and §10.5), which would otherwise sit in the stored record for good.
   */
  readonly singleUseKeys?: readonly string[];
  /** Default auth variables, all `locked`; definitions may relabel them or change defaults. */
  readonly variables: readonly VariableDefinition[];
  /** How the credential goes on endpoint requests unless the method's `apply` overrides it. */
  readonly apply: ApplyDefinition;
  /**
   * Which of the method's auth variables must have a value, given the values entered so far
   * (definition defaults included): a strategy whose requirements depend on other values says so
   * here (OAuth 2: no `client_secret` for `token_endpoint_auth_method: none`). Without it, the
   * variables flagged `required` are. The runtime's check, and forms built from
   * `runtime.requiredVariables()`, ask this one rule.
   */
  requiredKeys?(
    method: ResolvedAuthMethod,
    values: Readonly<Record<string, string>>,
  ): readonly string[];
  /** Extra checks of a method definition (e.g. required URLs); paths relative to the method. */
  validateMethod?(method: ResolvedAuthMethod): readonly DefinitionIssue[];
  /** Interactive: makes state and the authorise URL. Secret-free except inside `data`. */
  begin?(ctx: AuthContext): Promise<AuthorizationRequest>;
  /** Interactive: checks the callback and obtains the first credentials. */
  complete?(ctx: AuthContext, callback: AuthorizationCallback): Promise<Credentials>;
  /** Non-interactive: checks the variables (e.g. a test call) and returns the first credentials. */
  authenticate?(ctx: AuthContext): Promise<Credentials>;
  /**
   * Usable credentials for an instance: from cache or store, refreshed first when about to
   * expire. Called on every endpoint request: keep the cached path free of I/O.
   */
  getCredentials(ctx: InstanceContext): Promise<Credentials>;
  /**
   * Per-request signing, for credentials that depend on the request (OAuth 1, RFC 5849 §3.4; HMAC
   * request signing). The runtime's auth layer calls it with every endpoint request just before it
   * is sent — after `apply` was rendered, once per attempt (retries and the replay after a refresh
   * each get a fresh signature, so a nonce is never reused) — and sets the returned headers on
   * that request. `credentials` are those `getCredentials` (or `refresh`) just returned. Strategies
   * without it cost the runtime nothing: their requests are never copied or awaited for it.
   * Errors thrown here fail the call as they are: they must be coded and hold no secret.
   *
   * @example
   * ```ts
   * async sign(ctx, request, credentials) {
   *   const mac = createHmac('sha256', ctx.values['api_secret']!).update(request.url).digest('hex');
   *   return { headers: { 'x-signature': mac } };
   * }
   * ```
   */
  sign?(
    ctx: InstanceContext,
    request: OutgoingRequest,
    credentials: Credentials,
  ): Promise<RequestSignature>;
  /**
   * True when a response means the credential was rejected as expired (refresh and replay). Asked
   * for every answer, whatever its status: keep the common "no" path free of parsing.
   */
  isExpiredResponse?(ctx: InstanceContext, response: ResponseSummary): boolean;
  /**
   * Refreshes after `rejected` was refused. When the stored credentials already differ from
   * `rejected` (another caller refreshed), returns those without a new request.
   */
  refresh?(ctx: InstanceContext, rejected: Credentials): Promise<Credentials>;
  /**
   * Secret-free facts about `credentials` for a status view (granted scopes, whether they can be
   * refreshed, when the next proactive refresh is due). Pure: no I/O, no side effect. Without it,
   * the runtime shows what every `Credentials` carries (`obtainedAt`, `expiresAt`).
   *
   * @example
   * ```ts
   * describeCredentials: (credentials) => ({ refreshable: credentials.values['refresh_token'] !== undefined }),
   * ```
   */
  describeCredentials?(credentials: Credentials): CredentialFacts;
  /** Drops cached credentials of an instance (after delete or re-authorization). */
  forget?(instanceId: string): void;
  /**
   * The runtime unloaded the instance (its session was dropped: idle beyond the runtime's
   * `sessionCacheSize`, changed, or the runtime closed): drop what is kept in memory for it that
   * the store holds too, so memory follows the loaded instances, not all of them. Unlike
   * `forget`, nothing about the instance changed: its next call reads the store again.
   *
   * @example
   * ```ts
   * release: (instanceId) => void cache.delete(instanceId),
   * ```
   */
  release?(instanceId: string): void;
  /** Releases timers and connections. */
  close?(): Promise<void>;
}
