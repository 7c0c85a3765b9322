import { invalidArgument } from '@splice/core';

/**
 * Checks an instance's display name: a string with something other than white space
 * (`INVALID_ARGUMENT` otherwise). Returns it unchanged.
 *
 * @example
 * ```ts
 * checkName('Acme EU'); // 'Acme EU'
 * ```
 */
export function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalidArgument('"name" of the instance must be a non-empty string');
  }
  return name;
}
