import { percentEncode } from './percentEncode.js';

/**
 * RFC 5849 §3.4.1.3.2: every name and value encoded (§3.6), the pairs sorted by name and then by
 * value in ascending byte order, joined as `name=value` (even when the value is empty) with `&`.
 * After encoding every character is ASCII, so code-unit order is byte order.
 *
 * @example
 * ```ts
 * normalizeParameters([['a3', 'a'], ['a2', 'r b'], ['a3', '2 q']]); // 'a2=r%20b&a3=2%20q&a3=a'
 * ```
 */
export function normalizeParameters(parameters: readonly (readonly [string, string])[]): string {
  return parameters
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}
