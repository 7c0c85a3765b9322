import type { Credentials, InstanceContext, InstanceRecord } from '@splice/core';
import type { CompiledConnector, CompiledMethod } from '../catalog/CompiledConnector.js';

/**
 * Rendered `apply` of one credentials object.
 *
 * @example
 * ```ts
 * for (const [name, value] of session.applyFor(credentials).headers) headers[name] = value;
 * ```
 */
export interface RenderedApply {
  readonly headers: readonly (readonly [string, string])[];
  readonly query: readonly (readonly [string, string])[];
}

/**
 * What an endpoint request and a call need from their instance's session: its record, method
 * and strategy context, the rendered `apply` of given credentials, and the values to scrub.
 * `Session` implements it; the endpoint side depends on this, not on `Session`.
 *
 * @example
 * ```ts
 * const session: InstanceSession = await sessions.load(instanceId);
 * session.secrets(call.credentials); // what an error about this call must not show
 * ```
 */
export interface InstanceSession {
  readonly connector: CompiledConnector;
  readonly method: CompiledMethod;
  readonly record: InstanceRecord;
  readonly context: InstanceContext;
  /** The method's `apply` rendered for `credentials`. */
  applyFor(credentials: Credentials): RenderedApply;
  /** The instance's secret values and every value of the given credentials. */
  secrets(...credentials: readonly (Credentials | undefined)[]): string[];
}
