import type { DefinitionIssue } from '../strategy/AuthStrategy.js';

/**
 * Ids that place an error: which connector, auth method, instance and endpoint it concerns.
 *
 * @example
 * ```ts
 * const ids: ErrorIds = { connectorId: 'acme', authMethodId: 'acme-oauth' };
 * ```
 */
export type ErrorIds = {
  readonly connectorId?: string;
  readonly authMethodId?: string;
  readonly instanceId?: string;
  readonly endpointId?: string;
};

/**
 * What a failed HTTP exchange tells (the HTTP edge's `networkFailure` and bounded read):
 * `reason: 'network'` with the socket error's code and whether anything was sent, or
 * `reason: 'response_too_large'` with the bound.
 *
 * @example
 * ```ts
 * if (error.details.reason === 'network' && error.details.sent === false) retryLater();
 * ```
 */
export type ExchangeFailureDetails = ErrorIds & {
  readonly reason?: 'network' | 'response_too_large';
  /** The socket or undici error code (`ECONNREFUSED`, `UND_ERR_SOCKET`...), or null when none. */
  readonly errorCode?: string | null;
  /** False when the request provably never reached the server. */
  readonly sent?: boolean;
  /** The bound a too-large answer exceeded, in bytes. */
  readonly maxResponseBytes?: number;
  /** Attempts made, retries included. */
  readonly attempts?: number;
};

/**
 * The `details` of every {@link SpliceErrorCode}: secret-free facts, typed per code, so tools
 * (the CLI, a dashboard, an engine) read them without guessing. Fields marked optional are set
 * where the throwing part knows them.
 *
 * @example
 * ```ts
 * if (SpliceError.is(error, 'TOKEN_REQUEST_FAILED') && error.details.oauthError === 'invalid_client') {
 *   hint('check client_id and client_secret');
 * }
 * ```
 */
// A type alias, not an interface: its members then fit `Readonly<Record<string, unknown>>`, the
// details of an error whose code is not narrowed.
export type SpliceErrorDetailsByCode = {
  CONNECTOR_INVALID: ErrorIds & {
    /** Every problem, each with its path. */
    readonly issues: readonly DefinitionIssue[];
    /** The file the definition came from, when known. */
    readonly source?: string;
    /** The template at fault, for a template compile error. */
    readonly template?: string;
    /** The URL name at fault (`token`, `authorise`...). */
    readonly url?: string;
  };
  STRATEGY_MISSING: Required<Pick<ErrorIds, 'connectorId' | 'authMethodId'>> & {
    readonly type: string;
    readonly registeredTypes: readonly string[];
  };
  VARIABLE_MISSING: ErrorIds & {
    /** Every key without a value. */
    readonly keys: readonly string[];
  };
  VARIABLE_INVALID: ErrorIds & {
    /** The variable whose value is malformed. */
    readonly key?: string;
    /** Keys the method does not declare. */
    readonly unknown?: readonly string[];
    /**
     * With `unknown` (or `reason: 'unknown'`): the keys the caller may set there, in definition
     * order — an instance's variables less those it cannot change (`updateInstance`: not
     * `configurable` or in a URL's host; a renewal: in a URL's host), or what a call to the
     * endpoint may set. Credential keys and captured values are never among them.
     */
    readonly settable?: readonly string[];
    /**
     * With `settable`: each refused key mapped to the settable key it most likely meant (core's
     * `nearestName`: another case or separator style, or a typo), e.g. `{ acount: 'account' }`;
     * empty when nothing is near.
     */
    readonly suggestions?: Readonly<Record<string, string>>;
    /** Why a call may not set `key` (`perCallRefusal`): origin, instance, credential, unknown. */
    readonly reason?: 'origin' | 'instance' | 'credential' | 'unknown';
    /**
     * Keys whose saved value cannot be changed from outside (`updateInstance`): variables not
     * flagged `configurable`, and values captured from the provider.
     */
    readonly readOnly?: readonly string[];
  };
  TEMPLATE_UNRESOLVED: {
    /** The first key without a value. */
    readonly key: string;
    readonly keys: readonly string[];
    readonly template: string;
  };
  TEMPLATE_UNSAFE_VALUE: { readonly key: string; readonly template: string };
  INSECURE_URL: { readonly template: string; readonly issues: readonly DefinitionIssue[] };
  AUTH_STATE_INVALID: ErrorIds & {
    /** Whether the callback carried a state at all. */
    readonly statePresent?: boolean;
    /**
     * The provider's `error` (RFC 6749 §4.1.2.1) when a callback without a known state carried
     * one, e.g. `access_denied` from a provider that drops the state on a refusal.
     */
    readonly providerError?: string;
    /** Its `error_description`, bounded and scrubbed, when it sent one. */
    readonly providerErrorDescription?: string;
  };
  AUTH_DENIED: ErrorIds & {
    /** The provider's `error` (RFC 6749 §4.1.2.1), e.g. `access_denied`. */
    readonly providerError: string;
    readonly providerErrorDescription?: string;
  };
  AUTH_ISSUER_MISMATCH: ErrorIds & { readonly expectedIssuer: string };
  AUTH_NOT_INTERACTIVE: ErrorIds;
  TOKEN_REQUEST_FAILED: ExchangeFailureDetails & {
    /** The token endpoint's HTTP status, when it answered. */
    readonly status?: number;
    /** The provider's OAuth `error` code (RFC 6749 §5.2), e.g. `invalid_grant`. */
    readonly oauthError?: string;
    /** The provider's `error_description`. */
    readonly oauthErrorDescription?: string;
    /**
     * The path of the method's `dialect.invalidGrant.body` rule the refused refresh matched
     * (`status` for HubSpot's `BAD_REFRESH_TOKEN`): the grant is dead.
     */
    readonly invalidGrantRule?: string;
    /** OAuth 1: which credential request failed (RFC 5849 §2.1 temporary, §2.3 token). */
    readonly step?: 'temporary' | 'token';
    /** OAuth 1: the provider's `oauth_problem` (the OAuth Problem Reporting extension). */
    readonly oauthProblem?: string;
  };
  TOKEN_RESPONSE_INVALID: ErrorIds & {
    readonly status?: number;
    /** The response field at fault (`access_token`, `token_type`...). */
    readonly field?: string;
    readonly tokenType?: string;
  };
  REAUTHORIZATION_REQUIRED: ErrorIds;
  /** An instance used up its refresh budget: `refreshes` per `intervalMs`, in this process. */
  REFRESH_LIMITED: ErrorIds & {
    readonly refreshes: number;
    readonly intervalMs: number;
    /** Milliseconds until the budget allows the next refresh. */
    readonly retryAfterMs: number;
  };
  CREDENTIALS_INVALID: ErrorIds & { readonly status?: number; readonly key?: string };
  /** The credentials could not be checked: the check's URL answered neither a success nor a refusal. */
  CREDENTIALS_CHECK_FAILED: ErrorIds & { readonly status: number };
  INSTANCE_NOT_FOUND: { readonly instanceId: string };
  CONNECTOR_NOT_FOUND: { readonly connectorId: string };
  AUTH_METHOD_NOT_FOUND: { readonly connectorId: string; readonly authMethodId: string };
  ENDPOINT_NOT_FOUND: { readonly connectorId: string; readonly endpointId: string };
  ENDPOINT_NOT_ENABLED: Required<ErrorIds> & { readonly enabledAuthMethods: readonly string[] };
  ENDPOINT_HTTP_ERROR: Required<ErrorIds> & {
    readonly status: number;
    /** Response headers; secret-looking ones read `[redacted]`, the others are scrubbed. */
    readonly headers: Readonly<Record<string, string | readonly string[]>>;
    /** At most 4096 characters of the body, every secret of the call scrubbed before the cut. */
    readonly body: string;
    readonly bodyTruncated: boolean;
    readonly attempts: number;
  };
  ENDPOINT_REQUEST_FAILED: ExchangeFailureDetails;
  RESPONSE_PARSE_FAILED: Required<ErrorIds> & {
    readonly status: number;
    readonly contentType: string | readonly string[] | null;
    /** What the parser said went wrong, and where (never the body). */
    readonly reason: string;
  };
  TIMEOUT: ErrorIds & {
    readonly timeoutMs?: number;
    /** `UND_ERR_HEADERS_TIMEOUT` / `UND_ERR_BODY_TIMEOUT` for an endpoint or token request. */
    readonly reason?: string;
    readonly attempts?: number;
    /** How long a caller waited for another process's refresh. */
    readonly waitMs?: number;
  };
  STORE_CONFLICT: { readonly key: string; readonly expected: number; readonly actual: number };
  STORE_UNAVAILABLE: {
    /** The SQLite file. */
    readonly path?: string;
    readonly sqliteCode?: string | undefined;
    /** The Redis key prefix. */
    readonly prefix?: string;
    /** The bound the store waited for an answer, in milliseconds. */
    readonly timeoutMs?: number;
  };
  ENCRYPTION_KEY_INVALID: { readonly keyId?: string };
  /** `key` is the store key, shortened when long; `keyId` the encryption key's id. */
  DECRYPTION_FAILED: { readonly key?: string; readonly keyId?: string };
  RUNTIME_CLOSED: Record<string, never>;
  /**
   * A value the method captures during consent is missing, not text, not what its `equals` says,
   * or an origin it may not be.
   */
  CAPTURE_INVALID: ErrorIds & {
    /** The instance value's key. */
    readonly key: string;
    /** The callback parameter or answer path it is read from. */
    readonly field: string;
    /** Where it is read: the callback, the token response, or a post-authorization step. */
    readonly source: 'callback' | 'token' | 'step';
    readonly stepId?: string;
    readonly reason: 'missing' | 'not_text' | 'origin_not_allowed' | 'mismatch' | 'no_choices';
    /** The allowed origin patterns, for `origin_not_allowed`. */
    readonly origins?: readonly string[];
  };
  /** The instance waits for the user's choice (`pending_choice`): `runtime.chooseValue()`. */
  CHOICE_REQUIRED: ErrorIds & {
    /** The post-authorization steps waiting for a choice. */
    readonly stepIds: readonly string[];
  };
  /** `chooseValue` named a step or choice the instance does not offer. */
  CHOICE_INVALID: ErrorIds & { readonly stepId: string; readonly choiceId?: string };
};

/**
 * The `details` type of errors with `code`: `SpliceErrorDetails<'TOKEN_REQUEST_FAILED'>`; the
 * details of any code when the code is not narrowed (`SpliceError.is(error, code)` narrows it).
 * Every details type also reads as a record of secret-free facts.
 *
 * @example
 * ```ts
 * function hint(details: SpliceErrorDetails<'VARIABLE_MISSING'>) { return details.keys.join(', '); }
 * ```
 */
export type SpliceErrorDetails<
  C extends keyof SpliceErrorDetailsByCode = keyof SpliceErrorDetailsByCode,
> = SpliceErrorDetailsByCode[C] & { readonly [fact: string]: unknown };
