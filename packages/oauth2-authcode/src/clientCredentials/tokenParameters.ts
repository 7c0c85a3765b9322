/** Parameters a client-credentials token request sets itself: `token_parameters` may not. */
const PROTOCOL_PARAMETERS = ['grant_type', 'scope', 'client_id', 'client_secret'];

/**
 * Reads the `token_parameters` variable: extra form parameters of the token request, written
 * form-encoded (`audience=https%3A%2F%2Fapi.acme.example&resource=urn%3Aacme`), such as Auth0's
 * `audience` or the `resource` of RFC 8707. Returns the parameters, or the problem with the value
 * (a parameter without a name, or one of the protocol's own: `grant_type`, `scope`, `client_id`,
 * `client_secret`, which have their own variables).
 *
 * @example
 * ```ts
 * readTokenParameters('audience=https%3A%2F%2Fapi.example'); // { audience: 'https://api.example' }
 * readTokenParameters('scope=a'); // 'must not set "scope" ...'
 * ```
 */
export function readTokenParameters(value: string): Record<string, string> | string {
  const parameters: Record<string, string> = {};
  for (const [key, item] of new URLSearchParams(value.trim())) {
    if (key === '') return 'has a parameter without a name; write name=value pairs joined by &.';
    if (PROTOCOL_PARAMETERS.includes(key))
      return `must not set "${key}": it has its own variable (${PROTOCOL_PARAMETERS.join(', ')} are set by the strategy).`;
    parameters[key] = item;
  }
  return parameters;
}
