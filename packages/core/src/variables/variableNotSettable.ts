import type { VariableDefinition } from '../definition/types.js';
import { SpliceError } from '../errors/SpliceError.js';
import type { PerCallRefusal } from './perCallRefusal.js';
import { unknownKeysHint } from './unknownKeysHint.js';

const WHY: Readonly<Record<PerCallRefusal, string>> = {
  origin:
    "is used in a URL's host: it chooses where the instance's requests (and its credentials) go, which is set when the instance is added and never changes afterwards (add another instance for another host)",
  instance:
    'is a connector or auth variable, set when the instance is added or renewed. Change it with beginAuthorization({ instanceId, variables }), or mark it `perCall: true` in the definition',
  credential:
    "is a credential key: credentials come from the instance's strategy and cannot be passed to a call",
  unknown: 'is not a variable of this endpoint or of the instance. Check the key',
};

/**
 * The `VARIABLE_INVALID` error for a variable that may not be set at this moment (see
 * {@link perCallRefusal} for a call; a renewal refuses `origin` keys): the message names the key,
 * `when` (e.g. `by a call to endpoint "list-orders" of connector "acme"`) and what to do;
 * `details` carries `key`, `reason` and the given ids. The value is never part of it.
 *
 * With `settable` (the variables a call to that endpoint may set), an `unknown` key also gets
 * their keys listed (those for a user first) and the one it most likely meant as a did-you-mean,
 * chosen and listed by {@link unknownKeysHint}: `details.settable` and `details.suggestions`
 * (`{ [key]: meant }`, empty when nothing is near).
 *
 * @example
 * ```ts
 * throw variableNotSettable('shop', 'origin', 'by a call to endpoint "orders"', ids);
 * // Variable "shop" cannot be set by a call to endpoint "orders": it is used in a URL's host: ...
 * throw variableNotSettable('statsu', 'unknown', 'by a call to endpoint "orders"', ids, endpoint.variables);
 * // ...: it is not a variable of this endpoint or of the instance: did you mean "status"?
 * // (a call to this endpoint may set: status)
 * ```
 */
export function variableNotSettable(
  key: string,
  reason: PerCallRefusal,
  when: string,
  details: Readonly<Record<string, unknown>> = {},
  settable?: readonly VariableDefinition[],
): SpliceError {
  if (reason !== 'unknown' || settable === undefined) {
    return new SpliceError(
      'VARIABLE_INVALID',
      `Variable "${key}" cannot be set ${when}: it ${WHY[reason]}.`,
      { details: { ...details, key, reason } },
    );
  }
  const hint = unknownKeysHint([key], settable);
  const meant = Object.hasOwn(hint.suggestions, key) ? hint.suggestions[key] : undefined;
  const near = meant === undefined ? '. Check the key' : `: did you mean "${meant}"?`;
  const allowed =
    hint.listed === undefined
      ? 'a call to this endpoint may set no variable'
      : `a call to this endpoint may set: ${hint.listed}`;
  return new SpliceError(
    'VARIABLE_INVALID',
    `Variable "${key}" cannot be set ${when}: it is not a variable of this endpoint or of the instance${near} (${allowed}).`,
    {
      details: {
        ...details,
        key,
        reason,
        settable: hint.settable,
        suggestions: hint.suggestions,
      },
    },
  );
}
