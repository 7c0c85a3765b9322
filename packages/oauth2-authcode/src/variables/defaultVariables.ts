import { lockedVariable, type VariableDefinition } from '@splice/core';

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
  lockedVariable('state_length', 'State length', { default: '32', advanced: true }),
  lockedVariable('scope', 'Scope', { default: '', configurable: true }),
  lockedVariable('client_id', 'Client ID', { required: true, configurable: true }),
  lockedVariable('client_secret', 'Client secret', {
    required: true,
    configurable: true,
    secret: true,
  }),
  lockedVariable('response_authentication_token_key', 'Response authentication token key', {
    default: 'access_token',
    advanced: true,
  }),
  lockedVariable('grant_type', 'Grant_type', { default: 'authorization_code', advanced: true }),
  lockedVariable('response_type', 'Response type key', { default: 'code', advanced: true }),
  lockedVariable('oauth_authorised_code', 'OAuth Authorised Code', {
    advanced: true,
    secret: true,
  }),
  lockedVariable('callback_url', 'Dashboard OAuth Callback URL', { advanced: true }),
  lockedVariable('refresh_grant_type', 'Refresh Grant type', {
    default: 'refresh_token',
    advanced: true,
  }),
  lockedVariable('response_refresh_token_key', 'Response Refresh Token Key', {
    default: 'refresh_token',
    advanced: true,
  }),
  lockedVariable('refresh_grant_type_key', 'Refresh grant type parameter', {
    default: 'grant_type',
    advanced: true,
  }),
  lockedVariable('response_expires_in_key', 'Response expires-in key', {
    default: 'expires_in',
    advanced: true,
  }),
  lockedVariable('scope_separator', 'Scope separator', { default: ' ', advanced: true }),
  lockedVariable('token_endpoint_auth_method', 'Token endpoint client authentication', {
    default: 'client_secret_post',
    advanced: true,
  }),
  lockedVariable('pkce', 'PKCE method', { default: 'S256', advanced: true }),
  lockedVariable('expired_token_statuses', 'Expired token statuses', {
    default: '401',
    advanced: true,
  }),
  lockedVariable('issuer', 'Issuer (RFC 9207)', { advanced: true }),
]);
