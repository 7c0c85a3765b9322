import type { VariableDefinition } from '@splice/core';

/**
 * A strategy's default auth variable: locked (a definition may relabel it and change its default
 * and flags, never remove it), not required, configurable, advanced or secret unless `extra` says.
 *
 * @example
 * ```ts
 * lockedVariable('password', 'Password', { required: true, secret: true });
 * ```
 */
export function lockedVariable(
  key: string,
  label: string,
  extra: Partial<Omit<VariableDefinition, 'key' | 'label' | 'locked'>> = {},
): VariableDefinition {
  return Object.freeze({
    key,
    label,
    required: false,
    configurable: true,
    advanced: false,
    secret: false,
    ...extra,
    locked: true,
  });
}
