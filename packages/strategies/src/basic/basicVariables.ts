import { lockedVariable, type VariableDefinition } from '@splice/core';

/**
 * The locked default auth variables of the `basic` strategy, as the platform's basic type has
 * them: `username` and `password`, both required, the password secret. Definitions relabel them
 * for their API (WooCommerce: `Consumer key` / `Consumer secret`), never remove them.
 *
 * @example
 * ```ts
 * BASIC_DEFAULT_VARIABLES.map((v) => v.key); // ['username', 'password']
 * ```
 */
export const BASIC_DEFAULT_VARIABLES: readonly VariableDefinition[] = Object.freeze([
  lockedVariable('username', 'Username', { configurable: true, required: true }),
  lockedVariable('password', 'Password', { configurable: true, required: true, secret: true }),
]);
