import { type EndpointDefinition, missingRequired, resolveValues } from '@splice/core';

/**
 * The keys of an endpoint's `required` variables a call would have no value for: neither `given`
 * (`--var`) nor among the instance's `saved` values nor defaulted; a value given empty is none.
 * The runtime's own rule (core's `resolveValues` then `missingRequired`), which refuses such a
 * call with `VARIABLE_MISSING`: asked before a call, to choose an endpoint that can be called. The
 * keys, in declared order; empty when the endpoint can be called.
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
  return missingRequired(endpoint.variables, resolveValues(endpoint.variables, given, saved));
}
