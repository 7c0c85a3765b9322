import { lockedVariable, type VariableDefinition } from '@splice/core';

/**
 * The locked default auth variables of the `oauth2-client-credentials` strategy (RFC 6749 §4.4).
 * Definitions may relabel them, change their defaults and flags, never remove them. The response
 * keys, scope separator and expired-token statuses mean what they mean for the
 * authorization-code strategy (they are read by the same code).
 *
 * @example
 * ```ts
 * OAUTH2_CLIENT_CREDENTIALS_DEFAULT_VARIABLES.find((v) => v.key === 'grant_type')?.default;
 * // 'client_credentials'
 * ```
 */
export const OAUTH2_CLIENT_CREDENTIALS_DEFAULT_VARIABLES: readonly VariableDefinition[] =
  Object.freeze([
    lockedVariable('client_id', 'Client ID', { required: true, configurable: true }),
    lockedVariable('client_secret', 'Client secret', {
      required: true,
      configurable: true,
      secret: true,
    }),
    lockedVariable('scope', 'Scope', { default: '', configurable: true }),
    lockedVariable('token_parameters', 'Extra token request parameters', {
      default: '',
      configurable: true,
      advanced: true,
    }),
    lockedVariable('token_endpoint_auth_method', 'Token endpoint client authentication', {
      default: 'client_secret_basic',
      advanced: true,
    }),
    lockedVariable('grant_type', 'Grant_type', { default: 'client_credentials', advanced: true }),
    lockedVariable('response_authentication_token_key', 'Response authentication token key', {
      default: 'access_token',
      advanced: true,
    }),
    lockedVariable('response_expires_in_key', 'Response expires-in key', {
      default: 'expires_in',
      advanced: true,
    }),
    lockedVariable('scope_separator', 'Scope separator', { default: ' ', advanced: true }),
    lockedVariable('expired_token_statuses', 'Expired token statuses', {
      default: '401',
      advanced: true,
    }),
  ]);
