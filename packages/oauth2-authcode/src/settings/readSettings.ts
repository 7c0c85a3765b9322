import { type AuthContext, SpliceError } from '@splice/core';
import { OAUTH2_DEFAULT_VARIABLES } from '../variables/defaultVariables.js';

/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1; `none` for public clients). */
export type TokenEndpointAuthMethod = 'client_secret_post' | 'client_secret_basic' | 'none';

/** PKCE code challenge method (RFC 7636 §4.2); `none` sends no challenge. */
export type PkceMethod = 'S256' | 'plain' | 'none';

/**
 * Accepted values of `token_endpoint_auth_method`.
 *
 * @example
 * ```ts
 * TOKEN_ENDPOINT_AUTH_METHODS.includes('client_secret_basic'); // true
 * ```
 */
export const TOKEN_ENDPOINT_AUTH_METHODS: readonly TokenEndpointAuthMethod[] = [
  'client_secret_post',
  'client_secret_basic',
  'none',
];
/**
 * Accepted values of `pkce`.
 *
 * @example
 * ```ts
 * PKCE_METHODS.includes('S256'); // true
 * ```
 */
export const PKCE_METHODS: readonly PkceMethod[] = ['S256', 'plain', 'none'];

/** The strategy's variables of one method or instance, read and checked. */
export interface OAuthSettings {
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly callbackUrl: string | undefined;
  readonly scope: string;
  readonly stateLength: number;
  readonly pkce: PkceMethod;
  readonly authMethod: TokenEndpointAuthMethod;
  readonly grantType: string;
  readonly responseType: string;
  readonly accessTokenKey: string;
  readonly refreshTokenKey: string;
  readonly expiresInKey: string;
  readonly refreshGrantType: string;
  readonly refreshGrantTypeKey: string;
  readonly expiredStatuses: ReadonlySet<number>;
  readonly issuer: string | undefined;
  readonly authorisedCode: string | undefined;
}

const STRATEGY_DEFAULTS = new Map(OAUTH2_DEFAULT_VARIABLES.map((v) => [v.key, v.default]));

/**
 * The value of `key`: the context's resolved values, else the method's default, else the
 * strategy's default. Callers decide whether an empty string counts as unset.
 *
 * @example
 * ```ts
 * variableValue(ctx, 'pkce'); // 'S256' unless the definition or the user changed it
 * ```
 */
export function variableValue(ctx: AuthContext, key: string): string | undefined {
  const fromValues = ctx.values[key];
  if (fromValues !== undefined) return fromValues;
  const fromMethod = ctx.method.variables.find((v) => v.key === key)?.default;
  if (fromMethod !== undefined) return fromMethod;
  return STRATEGY_DEFAULTS.get(key);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function invalid(ctx: AuthContext, key: string, problem: string): SpliceError {
  return new SpliceError(
    'VARIABLE_INVALID',
    `Auth variable "${key}" of method "${ctx.method.id}" ${problem}`,
    { details: { key, connectorId: ctx.connector.id, authMethodId: ctx.method.id } },
  );
}

/**
 * Parses `expired_token_statuses` ("401,403" or "401 403"); undefined when malformed.
 *
 * @example
 * ```ts
 * parseStatuses('401, 403'); // Set { 401, 403 }
 * ```
 */
export function parseStatuses(text: string): Set<number> | undefined {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  const statuses = new Set<number>();
  for (const part of parts) {
    if (!/^[1-5]\d\d$/.test(part)) return undefined;
    statuses.add(Number(part));
  }
  return statuses;
}

/**
 * The problem with an enumerated or numeric variable value, or undefined when it is fine; shared
 * by `readSettings` and `validateMethod` so both say the same.
 *
 * @example
 * ```ts
 * checkValue('pkce', 'S512'); // 'must be one of S256, plain, none, got "S512".'
 * ```
 */
export function checkValue(key: string, value: string): string | undefined {
  switch (key) {
    case 'state_length': {
      const n = Number(value);
      return /^\d+$/.test(value.trim()) && n >= 16 && n <= 128
        ? undefined
        : `must be a whole number from 16 to 128 (characters of state), got "${value}". Use 32 unless the provider limits state length.`;
    }
    case 'pkce':
      return (PKCE_METHODS as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${PKCE_METHODS.join(', ')}, got "${value}".`;
    case 'token_endpoint_auth_method':
      return (TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}, got "${value}".`;
    case 'expired_token_statuses':
      return parseStatuses(value) === undefined
        ? `must be a list of HTTP status codes such as "401,403", got "${value}".`
        : undefined;
    default:
      return undefined;
  }
}

/**
 * Reads and checks the strategy's variables from `ctx`. Throws `VARIABLE_INVALID` naming the
 * variable when a value is malformed; missing required values are checked by the callers, which
 * know which ones the step needs.
 *
 * @example
 * ```ts
 * const { authMethod, pkce, stateLength } = readSettings(ctx);
 * ```
 */
export function readSettings(ctx: AuthContext): OAuthSettings {
  const read = (key: string): string => {
    const value = variableValue(ctx, key) ?? '';
    const problem = value === '' ? undefined : checkValue(key, value);
    if (problem !== undefined) throw invalid(ctx, key, problem);
    return value;
  };
  const separator = variableValue(ctx, 'scope_separator') ?? ' ';
  // The scope variable is written space- or comma-separated; the provider gets it joined with
  // scope_separator (RFC 6749 §3.3 says space, some providers want commas).
  const scopes = (variableValue(ctx, 'scope') ?? '').split(/[\s,]+/).filter((s) => s !== '');
  return {
    clientId: nonEmpty(variableValue(ctx, 'client_id')),
    clientSecret: nonEmpty(variableValue(ctx, 'client_secret')),
    callbackUrl: nonEmpty(variableValue(ctx, 'callback_url')) ?? nonEmpty(ctx.callbackUrl),
    scope: scopes.join(separator === '' ? ' ' : separator),
    stateLength: Number(read('state_length') || '32'),
    pkce: (read('pkce') || 'S256') as PkceMethod,
    authMethod: (read('token_endpoint_auth_method') ||
      'client_secret_post') as TokenEndpointAuthMethod,
    grantType: nonEmpty(variableValue(ctx, 'grant_type')) ?? 'authorization_code',
    responseType: nonEmpty(variableValue(ctx, 'response_type')) ?? 'code',
    accessTokenKey:
      nonEmpty(variableValue(ctx, 'response_authentication_token_key')) ?? 'access_token',
    refreshTokenKey: nonEmpty(variableValue(ctx, 'response_refresh_token_key')) ?? 'refresh_token',
    expiresInKey: nonEmpty(variableValue(ctx, 'response_expires_in_key')) ?? 'expires_in',
    refreshGrantType: nonEmpty(variableValue(ctx, 'refresh_grant_type')) ?? 'refresh_token',
    refreshGrantTypeKey: nonEmpty(variableValue(ctx, 'refresh_grant_type_key')) ?? 'grant_type',
    expiredStatuses: parseStatuses(read('expired_token_statuses') || '401') ?? new Set([401]),
    issuer: nonEmpty(variableValue(ctx, 'issuer')),
    authorisedCode: nonEmpty(variableValue(ctx, 'oauth_authorised_code')),
  };
}

/**
 * Every value that must never appear in a message: secret variables of the method and connector,
 * plus the client secret and authorised code whatever their flags say.
 *
 * @example
 * ```ts
 * scrub(providerText, secretValues(ctx));
 * ```
 */
export function secretValues(ctx: AuthContext): string[] {
  const keys = new Set(['client_secret', 'oauth_authorised_code']);
  for (const v of [
    ...ctx.connector.variables,
    ...ctx.method.variables,
    ...OAUTH2_DEFAULT_VARIABLES,
  ])
    if (v.secret) keys.add(v.key);
  const out: string[] = [];
  for (const key of keys) {
    const value = ctx.values[key];
    if (value !== undefined && value !== '') out.push(value);
  }
  return out;
}
