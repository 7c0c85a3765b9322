import { lockedVariable, type VariableDefinition } from '@splice/core';

/**
 * The locked default auth variables of the `token` strategy: the platform's one `token`
 * variable, required and secret. Definitions may relabel it (`Admin API access token`), never
 * remove it.
 *
 * @example
 * ```ts
 * TOKEN_DEFAULT_VARIABLES[0]?.key; // 'token'
 * ```
 */
export const TOKEN_DEFAULT_VARIABLES: readonly VariableDefinition[] = Object.freeze([
  lockedVariable('token', 'Token', { configurable: true, required: true, secret: true }),
]);
