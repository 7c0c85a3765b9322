/**
 * The parsed, validated shape of a connector definition (SPEC §2). `parseConnector` returns these
 * as the definition wrote them, with the schema's defaults filled in (an auth method's variables
 * keep only the fields the definition wrote: the strategy's defaults fill the rest, in the
 * runtime's catalog). They are plain data: a JSON round trip changes nothing.
 */

/** A JSON value. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** Time unit of a rate limit. */
export type RateLimitUnit = 'second' | 'minute' | 'hour' | 'day';

/** Requests allowed per unit of time. Requests over it queue; none are dropped. */
export interface RateLimit {
  readonly amount: number;
  readonly unit: RateLimitUnit;
}

/**
 * A variable at any of the three levels (connector, auth method, endpoint). `default` is at most
 * 1024 characters.
 */
export interface VariableDefinition {
  readonly key: string;
  readonly label?: string;
  /** The external system's name for this value. */
  readonly alias?: string;
  readonly default?: string;
  readonly required: boolean;
  readonly configurable: boolean;
  readonly advanced: boolean;
  readonly secret: boolean;
  /** Contributed by the strategy: may be relabelled or get a new default, never removed. */
  readonly locked: boolean;
  /**
   * A connector or auth variable that a call's input may set for that call (SPEC §3); absent
   * means `false`. Endpoint variables are settable per call whatever this says. A key used in an
   * endpoint URL's host is never settable per call.
   */
  readonly perCall?: boolean;
}

/**
 * An auth method's variable as its definition wrote it: the key and only the fields it sets. A
 * variable of the strategy's with that key is overridden field by field (see `mergeVariables`);
 * an extra variable gets `false` for every flag it does not set.
 *
 * @example
 * ```ts
 * const override: VariableOverride = { key: 'scope', default: 'orders.read' };
 * ```
 */
export type VariableOverride = { readonly key: string } & Partial<Omit<VariableDefinition, 'key'>>;

/** The URL-parameter, header and body tabs. */
export interface RequestParts {
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, JsonValue>>;
}

/**
 * Parts an auth method sends on its token requests only (code exchange and refresh), never on an
 * endpoint request, laid over its `request` header and body tabs there.
 *
 * @example
 * ```ts
 * const entra: TokenRequestParts = { headers: {}, body: { scope: 'offline_access Files.Read' } };
 * ```
 */
export interface TokenRequestParts {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Readonly<Record<string, JsonValue>>;
}

/** A rule on a small JSON answer body: the value at the dotted `path` is one of `equals`. */
export interface BodyRule {
  readonly path: string;
  /** Compared as text: `401` matches `"401"`. */
  readonly equals: readonly (string | number | boolean)[];
}

/**
 * How a provider says what the standards say otherwise (read by the OAuth 2 strategy); every
 * field optional, with defaults that follow RFC 6749/6750 and well-known providers.
 *
 * @example
 * ```ts
 * const github: Dialect = {}; // the defaults already know GitHub's 200 bad_refresh_token
 * const custom: Dialect = { invalidToken: { body: [{ path: 'error.code', equals: ['EXPIRED'] }] } };
 * ```
 */
export interface Dialect {
  /**
   * Refresh answers meaning a dead grant: OAuth `error` values (added to the defaults), statuses,
   * rules on a small JSON body (for answers without an OAuth `error`, HubSpot's `status`).
   */
  readonly invalidGrant?: {
    readonly errors?: readonly string[];
    readonly statuses?: readonly number[];
    readonly body?: readonly BodyRule[];
  };
  /** Endpoint answers meaning an expired access token, by a rule on a small JSON body. */
  readonly invalidToken?: { readonly body: readonly BodyRule[] };
  /** `token_type` values sent as Bearer by the default apply (replaces the default list). */
  readonly bearerTokenTypes?: readonly string[];
}

/** How a credential is placed on endpoint requests; templates may use credential values. */
export interface ApplyDefinition {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
}

/**
 * Where a captured value comes from: a query parameter of the authorization callback, or a field
 * of the token response.
 */
export type CaptureSource = 'callback' | 'token';

/**
 * A value the provider hands over during consent, kept with the instance under `key` (usable in
 * templates as `{{key}}`). See the `CapturedValue` JSON Schema for examples.
 *
 * @example
 * ```ts
 * const realm: CapturedValueDefinition = { key: 'realm_id', from: 'callback', field: 'realmId',
 *   secret: false, required: true };
 * ```
 */
export interface CapturedValueDefinition {
  readonly key: string;
  readonly from: CaptureSource;
  /** A callback parameter name, or a dotted path in the token response. */
  readonly field: string;
  readonly secret: boolean;
  /** Adding the instance fails when the value is missing (default true). */
  readonly required: boolean;
  /** Origin patterns that make the value usable as the origin a URL begins with. */
  readonly origins?: readonly string[];
  /**
   * `from: callback` only: a text template of the instance's variables the value must equal
   * (Shopify's `shop`: `{{shop | lower}}.myshopify.com`), else `CAPTURE_INVALID` (`mismatch`).
   */
  readonly equals?: string;
}

/** A field of a post-authorization step's answer (or chosen item) kept under `key`. */
export type StepCapturedValueDefinition = Omit<CapturedValueDefinition, 'from' | 'equals'>;

/**
 * A request run after consent whose answer provides instance values (Xero connections, Atlassian
 * accessible-resources).
 *
 * @example
 * ```ts
 * const step: PostAuthorizationStep = { id: 'tenant', method: 'GET',
 *   url: 'https://api.xero.com/connections', request: { query: {}, headers: {}, body: {} },
 *   choices: { path: '', id: 'tenantId', label: 'tenantName' },
 *   captured: [{ key: 'tenant_id', field: 'tenantId', secret: false, required: true }] };
 * ```
 */
export interface PostAuthorizationStep {
  readonly id: string;
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly request: RequestParts;
  /** How a POST step sends its body; default `json`. */
  readonly bodyFormat?: 'json' | 'form';
  /** The answer is a list to choose from; `captured` fields are read from the chosen item. */
  readonly choices?: {
    /** Dotted path of the list; `''` for the answer itself. */
    readonly path: string;
    /** Dotted path of each item's id. */
    readonly id: string;
    /** Dotted path of each item's display name. */
    readonly label?: string;
  };
  readonly captured: readonly StepCapturedValueDefinition[];
}

/** One authentication method of a connector. */
export interface AuthMethodDefinition {
  readonly id: string;
  readonly name: string;
  /** Picks the strategy, e.g. `oauth2-authorization-code`. */
  readonly type: string;
  /** The seed's "Timeout limit" for auth requests, in seconds. Default 30. */
  readonly timeoutSeconds: number;
  readonly documentationUrl?: string;
  /**
   * The definition's auth variables as written (overrides of the strategy's defaults, and
   * extras); the runtime's catalog merges the strategy's defaults in ({@link ResolvedAuthMethod}).
   */
  readonly variables: readonly VariableOverride[];
  /** Named URL templates, e.g. `token`, `authorise`, `reauthenticate`. */
  readonly urls: Readonly<Record<string, string>>;
  /**
   * The URL-parameter tab goes on the authorisation URL only; the header and body tabs on the auth
   * requests and on every endpoint request of an instance of this method.
   */
  readonly request: RequestParts;
  /** Sent on the token requests only (code exchange, refresh); never on an endpoint request. */
  readonly tokenRequest?: TokenRequestParts;
  /** How the provider reports dead grants, expired tokens and token types. */
  readonly dialect?: Dialect;
  /** Overrides the strategy's default apply when given. */
  readonly apply?: ApplyDefinition;
  /** Values taken from the callback or the token response, kept with the instance (default none). */
  readonly captured?: readonly CapturedValueDefinition[];
  /** Requests run after consent whose answers provide instance values (default none). */
  readonly postAuthorization?: readonly PostAuthorizationStep[];
}

export type EndpointDirection = 'receive' | 'send';
export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type EndpointDataType = 'json' | 'xml' | 'csv' | 'txt';
/** How an endpoint's body is encoded: JSON (default) or `application/x-www-form-urlencoded`. */
export type BodyFormat = 'json' | 'form';

/** One endpoint of a connector. */
export interface EndpointDefinition {
  readonly id: string;
  readonly name: string;
  /** Groups endpoints, e.g. `orders`. */
  readonly entity?: string;
  readonly direction: EndpointDirection;
  readonly method: HttpMethod;
  readonly url: string;
  readonly dataType: EndpointDataType;
  readonly bodyFormat: BodyFormat;
  readonly timeoutSeconds: number;
  /** Endpoint variables: the connector shape's fields and filters. */
  readonly variables: readonly VariableDefinition[];
  /** The endpoint's own header, query and body tabs. */
  readonly request: RequestParts;
  /** Enabled authentication method ids. */
  readonly authMethods: readonly string[];
}

/** A validated connector definition. */
export interface ConnectorDefinition {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly rateLimit?: RateLimit;
  /** Connector variables, shared by every auth method. */
  readonly variables: readonly VariableDefinition[];
  readonly authMethods: readonly AuthMethodDefinition[];
  readonly endpoints: readonly EndpointDefinition[];
}

/**
 * An auth method with its strategy's locked default variables merged in (SPEC §2): every variable
 * complete. What the runtime's catalog holds, strategies receive and `listConnectors()` returns.
 *
 * @example
 * ```ts
 * const method: ResolvedAuthMethod = runtime.listConnectors()[0].authMethods[0];
 * method.variables.filter((v) => v.required).map((v) => v.key); // ['client_id', 'client_secret']
 * ```
 */
export interface ResolvedAuthMethod extends Omit<AuthMethodDefinition, 'variables'> {
  /** The strategy's defaults first (in its order), then the definition's extras. */
  readonly variables: readonly VariableDefinition[];
}

/**
 * A connector whose auth methods are resolved against their strategies.
 *
 * @example
 * ```ts
 * const [acme]: ResolvedConnector[] = runtime.listConnectors();
 * ```
 */
export interface ResolvedConnector extends Omit<ConnectorDefinition, 'authMethods'> {
  readonly authMethods: readonly ResolvedAuthMethod[];
}

/** Keys reserved for credential values; no variable may be declared with them. */
export const CREDENTIAL_KEYS = ['access_token', 'refresh_token', 'token_type'] as const;
export type CredentialKey = (typeof CREDENTIAL_KEYS)[number];
