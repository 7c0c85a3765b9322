import type { ResolvedConnector, VariableDefinition } from '../definition/types.js';
import { REDACTED } from '../redact.js';

function redactList(
  variables: readonly VariableDefinition[],
  secretKeys: ReadonlySet<string>,
): readonly VariableDefinition[] {
  let out: VariableDefinition[] | undefined;
  for (let i = 0; i < variables.length; i++) {
    const variable = variables[i]!;
    if (variable.default === undefined || variable.default === REDACTED) continue;
    if (!variable.secret && !secretKeys.has(variable.key)) continue;
    out ??= [...variables];
    out[i] = { ...variable, default: REDACTED };
  }
  return out ?? variables;
}

/**
 * A copy of a resolved connector for showing (listings, forms, serialized views): the `default` of
 * every secret variable — flagged `secret`, or its key in `secretKeys` (the runtime adds the keys
 * that look secret) — at the connector, auth method and endpoint levels reads
 * {@link REDACTED}. `default !== undefined` still tells a form that a default exists ("leave empty
 * to keep the default"); the value itself only ever reaches the strategy and the request. Parts
 * without a secret default are shared with the input, which is not changed.
 *
 * @example
 * ```ts
 * const shown = redactSecretDefaults(resolved, method.secretKeys);
 * shown.authMethods[0].variables.find((v) => v.key === 'client_secret')?.default; // '[redacted]'
 * ```
 */
export function redactSecretDefaults(
  connector: ResolvedConnector,
  secretKeys: ReadonlySet<string> = new Set(),
): ResolvedConnector {
  return {
    ...connector,
    variables: redactList(connector.variables, secretKeys),
    authMethods: connector.authMethods.map((method) => ({
      ...method,
      variables: redactList(method.variables, secretKeys),
    })),
    endpoints: connector.endpoints.map((endpoint) => ({
      ...endpoint,
      variables: redactList(endpoint.variables, secretKeys),
    })),
  };
}
