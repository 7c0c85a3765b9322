import { lockedVariable, type VariableDefinition } from '@splice/core';

/**
 * The locked default auth variables of the `oauth1-pre-issued` strategy: client credentials and
 * token credentials the provider issued outside a redirect flow (NetSuite token-based
 * authentication: consumer key/secret of the integration record, token id/secret of the access
 * token), HMAC-SHA256, and the realm (NetSuite: the account id, e.g. `1234567_SB1`).
 *
 * @example
 * ```ts
 * OAUTH1_PRE_ISSUED_DEFAULT_VARIABLES.map((v) => v.key);
 * // ['consumer_key', 'consumer_secret', 'token_id', 'token_secret', 'signature_method', 'realm']
 * ```
 */
export const OAUTH1_PRE_ISSUED_DEFAULT_VARIABLES: readonly VariableDefinition[] = Object.freeze([
  lockedVariable('consumer_key', 'Consumer key', { configurable: true, required: true }),
  lockedVariable('consumer_secret', 'Consumer secret', {
    configurable: true,
    required: true,
    secret: true,
  }),
  lockedVariable('token_id', 'Token ID', { configurable: true, required: true }),
  lockedVariable('token_secret', 'Token secret', {
    configurable: true,
    required: true,
    secret: true,
  }),
  lockedVariable('signature_method', 'Signature method', {
    configurable: true,
    default: 'HMAC-SHA256',
    advanced: true,
  }),
  lockedVariable('realm', 'Realm', { configurable: true, default: '' }),
]);
