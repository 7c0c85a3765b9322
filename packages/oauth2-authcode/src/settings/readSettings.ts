import { type AuthContext, invalidAuthVariable } from '@splice/core';
import { checkValue } from './checkValue.js';
import type { OAuthSettings, PkceMethod, TokenEndpointAuthMethod } from './OAuthSettings.js';
import { parseStatuses } from './parseStatuses.js';
import { variableValue } from './variableValue.js';

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
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
    if (problem !== undefined) throw invalidAuthVariable(ctx, key, problem);
    return value;
  };
  const separator = variableValue(ctx, 'scope_separator') ?? ' ';
  // The scope variable is written space- or comma-separated; the provider gets it joined with
  // scope_separator (RFC 6749 §3.3 says space, some providers want commas).
  const scopes = (variableValue(ctx, 'scope') ?? '').split(/[\s,]+/).filter((s) => s !== '');
  return {
    clientId: nonEmpty(variableValue(ctx, 'client_id')),
    clientSecret: nonEmpty(variableValue(ctx, 'client_secret')),
    callbackUrl: nonEmpty(read('callback_url')) ?? nonEmpty(ctx.callbackUrl),
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
