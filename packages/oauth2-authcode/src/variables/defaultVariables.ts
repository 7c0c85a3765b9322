import type { VariableDefinition } from '@splice/core';

function variable(
  key: string,
  label: string,
  extra: Partial<Omit<VariableDefinition, 'key' | 'label' | 'locked'>> = {},
): VariableDefinition {
  return {
    key,
    label,
    required: false,
    configurable: false,
    advanced: false,
    secret: false,
    ...extra,
    locked: true,
  };
}

/**
 * The locked default auth variables of the `oauth2-authorization-code` strategy (SPEC §4): the
 * seed's list with its labels, then the advanced ones. Definitions may relabel them, change their
 * defaults and flags, never remove them. `callback_url` has no default here: it falls back to the
 * runtime's `callbackUrl` option.
 *
 * @example
 * ```ts
 * OAUTH2_DEFAULT_VARIABLES.find((v) => v.key === 'state_length')?.default; // '32'
 * ```
 */
export const OAUTH2_DEFAULT_VARIABLES: readonly VariableDefinition[] = Object.freeze([
  variable('state_length', 'State length', { default: '32', advanced: true }),
  variable('scope', 'Scope', { default: '', configurable: true }),
  variable('client_id', 'Client ID', { required: true, configurable: true }),
  variable('client_secret', 'Client secret', { required: true, configurable: true, secret: true }),
  variable('response_authentication_token_key', 'Response authentication token key', {
    default: 'access_token',
    advanced: true,
  }),
  variable('grant_type', 'Grant_type', { default: 'authorization_code', advanced: true }),
  variable('response_type', 'Response type key', { default: 'code', advanced: true }),
  variable('oauth_authorised_code', 'OAuth Authorised Code', { advanced: true, secret: true }),
  variable('callback_url', 'Dashboard OAuth Callback URL', { advanced: true }),
  variable('refresh_grant_type', 'Refresh Grant type', {
    default: 'refresh_token',
    advanced: true,
  }),
  variable('response_refresh_token_key', 'Response Refresh Token Key', {
    default: 'refresh_token',
    advanced: true,
  }),
  variable('refresh_grant_type_key', 'Refresh grant type parameter', {
    default: 'grant_type',
    advanced: true,
  }),
  variable('response_expires_in_key', 'Response expires-in key', {
    default: 'expires_in',
    advanced: true,
  }),
  variable('scope_separator', 'Scope separator', { default: ' ', advanced: true }),
  variable('token_endpoint_auth_method', 'Token endpoint client authentication', {
    default: 'client_secret_post',
    advanced: true,
  }),
  variable('pkce', 'PKCE method', { default: 'S256', advanced: true }),
  variable('expired_token_statuses', 'Expired token statuses', { default: '401', advanced: true }),
  variable('issuer', 'Issuer (RFC 9207)', { advanced: true }),
]);
