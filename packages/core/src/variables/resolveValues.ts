import { CREDENTIAL_KEYS, type VariableDefinition } from '../definition/types.js';
import { invalidArgument } from '../errors/invalidArgument.js';

/**
 * One source of values: call input, an instance's saved values, ... `undefined` means "not set".
 *
 * @example
 * ```ts
 * const input: ValueLayer = { status: 'open', page: undefined };
 * ```
 */
export type ValueLayer = Readonly<Record<string, string | undefined>>;

const credentialKeys: ReadonlySet<string> = new Set(CREDENTIAL_KEYS);

/**
 * Resolves variable values with the precedence of SPEC §3: the first layer that sets a key wins
 * (pass the call's input first, then the instance's saved values), then the definition's
 * `default`. A layer sets a key when its value is a string, the empty string included (an explicit
 * empty value beats a default); `undefined` is "not set". Keys a layer sets that no definition
 * declares are kept (the runtime decides whether to accept them). Credential keys
 * (`access_token`, `refresh_token`, `token_type`) are dropped: they come from the strategy, never
 * from input.
 *
 * @example
 * ```ts
 * resolveValues(
 *   [{ key: 'status', default: 'open', required: false, configurable: true, advanced: false,
 *      secret: false, locked: false }],
 *   { account: 'a1' },        // call input
 *   { status: 'closed' },     // instance values
 * ); // { account: 'a1', status: 'closed' }
 * ```
 */
export function resolveValues(
  definitions: readonly VariableDefinition[],
  ...layers: readonly (ValueLayer | undefined)[]
): Record<string, string> {
  if (!Array.isArray(definitions)) {
    throw invalidArgument('"definitions" must be an array of variable definitions');
  }
  const out: Record<string, string> = {};
  // Plain loops: this runs on every endpoint call that passes variables.
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index];
    if (layer === undefined) continue;
    if (typeof layer !== 'object' || layer === null) {
      throw invalidArgument(`value layer ${index} must be an object of strings or undefined`);
    }
    for (const key in layer) {
      if (!Object.hasOwn(layer, key)) continue;
      const value = layer[key];
      if (typeof value !== 'string' || Object.hasOwn(out, key)) continue;
      if (credentialKeys.has(key) || key === '__proto__') continue;
      out[key] = value;
    }
  }
  for (const variable of definitions) {
    if (
      !Object.hasOwn(out, variable.key) &&
      variable.default !== undefined &&
      variable.key !== '__proto__'
    ) {
      out[variable.key] = variable.default;
    }
  }
  return out;
}
