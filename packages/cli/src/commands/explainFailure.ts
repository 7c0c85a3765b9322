import { SpliceError } from '@splice/core';
import { missingVariables } from './variableUsage.js';

/** A failure as a command prints it: what happened and what to do. */
export interface Explained {
  /** The Splice error code, or `ERROR` for anything else. */
  readonly code: string;
  readonly message: string;
  /** The provider's OAuth `error` and `error_description` (not secrets: shown as sent). */
  readonly oauthError?: string;
  readonly oauthErrorDescription?: string;
  /** The real network cause (`ECONNREFUSED`, `ENOTFOUND`, a TLS code...), when there is one. */
  readonly cause?: string;
  readonly hints: readonly string[];
}

// Node's and undici's codes, by what a user can do about them.
const REFUSED = new Set(['ECONNREFUSED']);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const UNREACHABLE = new Set(['ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH', 'EHOSTDOWN']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);
const CONNECT_TIMEOUT = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const isTls = (code: string): boolean =>
  /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|HOSTNAME_MISMATCH|EPROTO)/.test(
    code,
  ) || code === 'ERR_TLS_CERT_ALTNAME_INVALID';

/**
 * Names the real cause of a network failure from `details.errorCode` (set by `@splice/http`'s
 * `networkFailure`): connection refused, DNS, unreachable network, reset, connect timeout, TLS.
 *
 * @example
 * ```ts
 * networkCause('ECONNREFUSED'); // 'connection refused: nothing listens at that host and port'
 * ```
 */
export function networkCause(code: string | null | undefined): string | undefined {
  if (code === null || code === undefined) return undefined;
  if (REFUSED.has(code)) return 'connection refused: nothing listens at that host and port';
  if (DNS.has(code)) return `DNS: the host name does not resolve (${code})`;
  if (UNREACHABLE.has(code)) return `the network or host is unreachable (${code})`;
  if (RESET.has(code)) return `the connection was closed before an answer (${code})`;
  if (CONNECT_TIMEOUT.has(code)) return `timeout: the connection could not be opened (${code})`;
  if (isTls(code)) return `TLS: the server's certificate or TLS setup was refused (${code})`;
  return code;
}

function networkHints(code: string | null | undefined, what: string): string[] {
  if (code === null || code === undefined) return [`check that ${what} is reachable`];
  if (REFUSED.has(code)) return [`check the port and that the server behind ${what} is running`];
  if (DNS.has(code)) return [`check the host name in ${what} (a typo, or a variable in the host)`];
  if (isTls(code)) {
    return [
      `check the certificate of ${what}: expired, self-signed, or issued for another host name`,
      'a private CA can be trusted with NODE_EXTRA_CA_CERTS=/path/to/ca.pem',
    ];
  }
  if (CONNECT_TIMEOUT.has(code)) return [`check a firewall or proxy between you and ${what}`];
  return [`check that ${what} is reachable`];
}

const string = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * Explains an error of an auth test, a call or an instance command in the user's terms, from its
 * code and typed details (`SpliceError.is(code)`): the provider's OAuth error and description as
 * sent, the real network cause, and what to change. `method` is the auth method's definition
 * (its `token_endpoint_auth_method`, `timeoutSeconds`), for the hints.
 *
 * @example
 * ```ts
 * const { message, hints } = explainFailure(error, { tokenEndpointAuthMethod: 'client_secret_post' });
 * ```
 */
export function explainFailure(
  error: unknown,
  context: {
    readonly tokenEndpointAuthMethod?: string | undefined;
    readonly timeoutSeconds?: number | undefined;
  } = {},
): Explained {
  if (!SpliceError.is(error)) {
    const code = (error as { code?: unknown } | null)?.code;
    return {
      code: typeof code === 'string' ? code : 'ERROR',
      message: error instanceof Error ? error.message : String(error),
      hints: [],
    };
  }
  const base = { code: error.code, message: error.message };
  // A refusal (RFC 6749 §4.1.2.1), also when the provider sent it without the state.
  const refusal = SpliceError.is(error, 'AUTH_DENIED')
    ? error.details
    : SpliceError.is(error, 'AUTH_STATE_INVALID') && error.details.providerError !== undefined
      ? error.details
      : undefined;
  if (refusal !== undefined) return explainRefusal(base.code, base.message, refusal);
  if (
    SpliceError.is(error, 'TOKEN_REQUEST_FAILED') ||
    SpliceError.is(error, 'ENDPOINT_REQUEST_FAILED')
  ) {
    const details = error.details as Readonly<Record<string, unknown>>;
    const what = error.code === 'TOKEN_REQUEST_FAILED' ? 'urls.token' : "the endpoint's URL";
    if (details['reason'] === 'network') {
      const errorCode = string(details['errorCode']);
      return {
        ...base,
        ...(errorCode === undefined ? {} : { cause: networkCause(errorCode)! }),
        hints: networkHints(errorCode, what),
      };
    }
    const oauthError = string(details['oauthError']);
    const description = string(details['oauthErrorDescription']);
    const extra = {
      ...(oauthError === undefined ? {} : { oauthError }),
      ...(description === undefined ? {} : { oauthErrorDescription: description }),
    };
    const auth = context.tokenEndpointAuthMethod ?? 'client_secret_post';
    if (oauthError === 'invalid_client') {
      return {
        ...base,
        ...extra,
        hints: [
          'check client_id and client_secret',
          `the method sends them with token_endpoint_auth_method "${auth}": the provider may expect ${auth === 'client_secret_basic' ? 'client_secret_post' : 'client_secret_basic'}`,
        ],
      };
    }
    if (oauthError === 'invalid_grant') {
      return {
        ...base,
        ...extra,
        hints: [
          /redirect/i.test(description ?? '')
            ? redirectHint()
            : 'the code or refresh token was refused: it may be used or expired, the redirect URI must equal the one of the consent, and the pkce setting must match the provider',
        ],
      };
    }
    if (oauthError === 'unsupported_grant_type') {
      return { ...base, ...extra, hints: ['check grant_type / refresh_grant_type'] };
    }
    if (oauthError === 'invalid_request' && /redirect/i.test(description ?? '')) {
      return { ...base, ...extra, hints: [redirectHint()] };
    }
    const status = details['status'];
    return {
      ...base,
      ...extra,
      hints:
        status === 404 || status === 405
          ? [`the token URL answered ${status}: check urls.token`]
          : ["check urls.token and the method's header and body tabs"],
    };
  }
  if (SpliceError.is(error, 'TIMEOUT')) {
    return {
      ...base,
      cause: 'timeout: no answer in time',
      hints: [
        `the server did not answer within timeoutSeconds${context.timeoutSeconds === undefined ? '' : ` (${context.timeoutSeconds} s)`}: raise it in the definition if the server is slow`,
      ],
    };
  }
  if (SpliceError.is(error, 'ENDPOINT_HTTP_ERROR')) {
    const { status } = error.details;
    return {
      ...base,
      hints:
        status === 401 || status === 403
          ? [
              "the API refused the credential: check the method's apply (header or query) and the scope",
            ]
          : status === 404
            ? ["check the endpoint's URL and the values of its variables"]
            : [],
    };
  }
  if (SpliceError.is(error, 'VARIABLE_MISSING')) {
    const { keys, authMethodId, connectorId } = error.details;
    const owner =
      authMethodId === undefined
        ? 'the auth method'
        : `auth method "${authMethodId}"${connectorId === undefined ? '' : ` of ${connectorId}`}`;
    return { ...base, message: missingVariables(keys, owner, 'all'), hints: [] };
  }
  if (SpliceError.is(error, 'REAUTHORIZATION_REQUIRED')) {
    return { ...base, hints: ['the grant is gone: run `splice instances reauthorize <id>`'] };
  }
  if (SpliceError.is(error, 'AUTH_STATE_INVALID')) {
    return {
      ...base,
      hints: ['the callback did not match the pending authorization: start again'],
    };
  }
  if (SpliceError.is(error, 'AUTH_ISSUER_MISMATCH')) {
    return {
      ...base,
      hints: ["the callback's iss differs from the issuer variable: fix or clear it"],
    };
  }
  if (SpliceError.is(error, 'CREDENTIALS_INVALID')) {
    return { ...base, hints: ['the provider refused the credentials: check their values'] };
  }
  if (SpliceError.is(error, 'TOKEN_RESPONSE_INVALID')) {
    return { ...base, hints: ['see the configured response keys above'] };
  }
  return { ...base, hints: [] };
}

/**
 * Explains a provider's refusal of an authorization (RFC 6749 §4.1.2.1), as core's
 * `callbackRefusal` reads it from the callback or an error's `providerError` /
 * `providerErrorDescription` carry it: the error and description as sent, and what to change for
 * that error code. `code` and `message` are what the failure is reported as.
 *
 * @example
 * ```ts
 * explainRefusal('AUTH_DENIED', 'the provider refused the authorization', {
 *   providerError: 'invalid_scope',
 * }).hints; // ['the scope asked for is unknown or not allowed for this client: …']
 * ```
 */
export function explainRefusal(
  code: string,
  message: string,
  refusal: {
    readonly providerError?: string | undefined;
    readonly providerErrorDescription?: string | undefined;
  },
): Explained {
  const oauthError = refusal.providerError;
  const description = refusal.providerErrorDescription;
  return {
    code,
    message,
    ...(oauthError === undefined ? {} : { oauthError }),
    ...(description === undefined ? {} : { oauthErrorDescription: description }),
    hints: [refusalHint(oauthError, description)],
  };
}

// What to change for each error code of RFC 6749 §4.1.2.1.
function refusalHint(oauthError: string | undefined, description: string | undefined): string {
  if (/redirect/i.test(description ?? '') || oauthError === 'invalid_redirect_uri') {
    return redirectHint();
  }
  switch (oauthError) {
    case 'access_denied':
      return 'the user (or the provider) declined the consent: approve it when you try again, or check who may grant the app in its settings at the provider';
    case 'invalid_scope':
      return 'the scope asked for is unknown or not allowed for this client: check the scope variable and the scopes enabled for the app at the provider';
    case 'unauthorized_client':
      return "the client may not use the authorization-code grant: enable it in the app's settings at the provider";
    case 'unsupported_response_type':
      return "the provider does not give this client a code (response_type=code): check the app's type at the provider";
    case 'invalid_request':
      return "the authorise URL lacks a parameter or has a wrong one: check urls.authorise and the method's URL parameters";
    case 'server_error':
    case 'temporarily_unavailable':
      return 'the provider failed on its side: try again later';
    default:
      return 'the provider refused the authorization: check the scope, client_id and redirect URI';
  }
}

function redirectHint(): string {
  return 'redirect URI mismatch: register the redirect URI printed above with the provider exactly (scheme, host, port and path), or pass the registered one with --port / --var callback_url=…';
}
