import { nearestName } from '../definition/nearestName.js';
import type { VariableDefinition } from '../definition/types.js';

/** What {@link unknownKeysHint} gives a `VARIABLE_INVALID` message and its details. */
export interface UnknownKeysHint {
  /** The keys the caller may set, the ones for a user first: `details.settable`. */
  readonly settable: string[];
  /** Per unknown key, the settable key it most likely meant: `details.suggestions`. */
  readonly suggestions: Record<string, string>;
  /** The unknown keys quoted, each with its did-you-mean: `"acount" (did you mean "account"?)`. */
  readonly named: string;
  /** The settable keys as a message shows them, or `undefined` when there are none. */
  readonly listed: string | undefined;
}

// Keys a message names in full, of those for a user; advanced ones are named up to ADVANCED_SHOWN
// and counted after: an OAuth 2 method has a dozen and more protocol variables (grant_type,
// response_type, ...), which would bury client_id and scope.
const USER_SHOWN = 10;
const ADVANCED_SHOWN = 3;

function shown(keys: readonly string[], limit: number): string {
  if (keys.length <= limit) return keys.join(', ');
  return `${keys.slice(0, limit).join(', ')} and ${keys.length - limit} more`;
}

/**
 * The one wording of a `VARIABLE_INVALID` about keys a caller passed that it may not set there:
 * `settable` (the variables it may set) as keys, those a user sets first (not `advanced`) and the
 * advanced ones after, each group in declared order (a key given twice counts once, the first
 * time); per unknown key the settable one it most likely meant ({@link nearestName}, a user's key
 * winning a tie); and both as message text, the advanced keys shortened to a few and a count.
 *
 * @example
 * ```ts
 * const hint = unknownKeysHint(['clientid'], method.variables);
 * hint.named; // '"clientid" (did you mean "client_id"?)'
 * hint.listed; // 'scope, client_id, client_secret; advanced: state_length, grant_type, pkce and 9 more'
 * ```
 */
export function unknownKeysHint(
  unknown: readonly string[],
  settable: readonly Pick<VariableDefinition, 'key' | 'advanced'>[],
): UnknownKeysHint {
  const user = new Set<string>();
  const advanced = new Set<string>();
  for (const variable of settable) {
    if (user.has(variable.key) || advanced.has(variable.key)) continue;
    (variable.advanced ? advanced : user).add(variable.key);
  }
  const keys = [...user, ...advanced];
  // A Map, not an object: an unknown key may be "toString" or "__proto__".
  const meant = new Map<string, string>();
  for (const key of unknown) {
    const near = nearestName(key, keys);
    if (near !== undefined) meant.set(key, near);
  }
  const named = unknown
    .map((key) => (meant.has(key) ? `"${key}" (did you mean "${meant.get(key)}"?)` : `"${key}"`))
    .join(', ');
  const parts = [
    ...(user.size > 0 ? [shown([...user], USER_SHOWN)] : []),
    ...(advanced.size > 0 ? [`advanced: ${shown([...advanced], ADVANCED_SHOWN)}`] : []),
  ];
  return {
    settable: keys,
    suggestions: Object.fromEntries(meant),
    named,
    listed: parts.length === 0 ? undefined : parts.join('; '),
  };
}
