import type { CompiledMethod } from '../catalog/CompiledConnector.js';

/**
 * The variable keys of `method` whose saved value an instance update may not change: variables
 * not flagged `configurable` (platform model: "the value may be changed per instance or per
 * call" is what `configurable` grants), and variables in the host of the method's or its
 * endpoints' URLs (`method.originKeys`), configurable or not: changing one would send the
 * instance's credentials to another host. Values a method captures from the provider during
 * consent belong here too: only the provider sets them.
 *
 * @example
 * ```ts
 * readOnlyKeys(method).has('tenant'); // true when `tenant` is not configurable
 * ```
 */
export function readOnlyKeys(method: CompiledMethod): ReadonlySet<string> {
  const keys = new Set<string>();
  for (const variable of method.variables) if (!variable.configurable) keys.add(variable.key);
  // The origin of an instance's requests (where its credentials go) is fixed when it is added.
  for (const key of method.originKeys) keys.add(key);
  return keys;
}
