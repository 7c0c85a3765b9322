import { CREDENTIAL_KEYS, type VariableDefinition } from '../definition/types.js';

/**
 * Why a call may not set a variable: it is in the endpoint URL's host (`origin`), it is a
 * connector or auth variable not marked `perCall` (`instance`), a credential key (`credential`),
 * or no variable of the endpoint or the instance (`unknown`).
 *
 * @example
 * ```ts
 * const reason: PerCallRefusal = 'origin';
 * ```
 */
export type PerCallRefusal = 'origin' | 'instance' | 'credential' | 'unknown';

const credentialKeys: ReadonlySet<string> = new Set(CREDENTIAL_KEYS);

/**
 * The one rule of who sets a variable at call time (SPEC §3). A call's input may set an endpoint
 * variable, or a connector or auth variable marked `perCall: true`; it may not set
 *
 * - a key in the endpoint URL's host (`hostKeys`, from the compiled URL template, `origin`): the
 *   origin of an instance's requests, where its credential goes, never changes per call, even for
 *   a `perCall` variable;
 * - a connector or auth variable without `perCall` (`instance`), even when an endpoint variable
 *   has the same key: that value was set for the instance and also feeds the method's tabs and
 *   `apply`;
 * - a credential key (`credential`: `access_token`, `refresh_token`, `token_type`);
 * - a key no variable of the endpoint or instance declares (`unknown`: it could only shadow a
 *   saved or captured value).
 *
 * Returns `undefined` when the call may set `key`.
 *
 * @example
 * ```ts
 * perCallRefusal('shop', endpoint.variables, method.variables, ['shop']); // 'origin'
 * perCallRefusal('status', endpoint.variables, method.variables, ['shop']); // undefined
 * ```
 */
export function perCallRefusal(
  key: string,
  endpointVariables: readonly VariableDefinition[],
  instanceVariables: readonly VariableDefinition[],
  hostKeys: readonly string[] = [],
): PerCallRefusal | undefined {
  if (credentialKeys.has(key)) return 'credential';
  if (hostKeys.includes(key)) return 'origin';
  const instance = instanceVariables.find((v) => v.key === key);
  if (instance !== undefined) return instance.perCall === true ? undefined : 'instance';
  return endpointVariables.some((v) => v.key === key) ? undefined : 'unknown';
}
