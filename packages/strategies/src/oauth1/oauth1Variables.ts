import { lockedVariable, type VariableDefinition } from '@splice/core';

/**
 * The locked default auth variables of the `oauth1` strategy (the redirect flow): the client
 * credentials, then the advanced ones with their defaults. `callback_url` falls back to the
 * runtime's `callbackUrl` option.
 *
 * @example
 * ```ts
 * OAUTH1_DEFAULT_VARIABLES.find((v) => v.key === 'signature_method')?.default; // 'HMAC-SHA1'
 * ```
 */
export const OAUTH1_DEFAULT_VARIABLES: readonly VariableDefinition[] = Object.freeze([
  lockedVariable('consumer_key', 'Consumer key', { configurable: true, required: true }),
  lockedVariable('consumer_secret', 'Consumer secret', {
    configurable: true,
    required: true,
    secret: true,
  }),
  lockedVariable('signature_method', 'Signature method', {
    configurable: true,
    default: 'HMAC-SHA1',
    advanced: true,
  }),
  lockedVariable('realm', 'Realm', { configurable: true, default: '', advanced: true }),
  lockedVariable('callback_url', 'Dashboard OAuth Callback URL', {
    configurable: true,
    advanced: true,
  }),
]);
