import type { VariableDefinition } from '../definition/types.js';

/**
 * A strategy's default auth variable (SPEC §4): locked — a definition may relabel it and change
 * its default and flags, never remove it — and not required, configurable, advanced or secret
 * unless `extra` says. Frozen: strategies share their lists between definitions.
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
    configurable: false,
    advanced: false,
    secret: false,
    ...extra,
    locked: true,
  });
}
