import type { EndpointDefinition } from '@splice/core';

/**
 * The keys of an endpoint's `required` variables a call would have no value for: not among the
 * instance's `saved` values, and neither `given` (`--var`) nor defaulted; a value given empty is
 * none, as the runtime's rule for an instance's required variables has it. The keys, in declared
 * order; empty when the endpoint can be called.
 *
 * @example
 * ```ts
 * missingEndpointVariables(endpoint, { product_id: '' }); // ['product_id']
 * ```
 */
export function missingEndpointVariables(
  endpoint: Pick<EndpointDefinition, 'variables'>,
  given: Readonly<Record<string, string>>,
  saved: Readonly<Record<string, string>> = {},
): string[] {
  return endpoint.variables
    .filter(
      ({ key, required, default: fallback }) =>
        required &&
        !Object.hasOwn(saved, key) &&
        ((Object.hasOwn(given, key) ? given[key] : fallback) ?? '') === '',
    )
    .map(({ key }) => key);
}
