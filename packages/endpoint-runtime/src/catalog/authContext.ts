import {
  type AuthContext,
  type InstanceContext,
  type InstanceRecord,
  resolveValues,
} from '@splice/core';
import type { AuthServices } from './AuthServices.js';
import type { CompiledConnector, CompiledMethod } from './CompiledConnector.js';

/**
 * The one place a strategy's context is built: the resolved connector and method, the compiled
 * templates, the runtime's services, and the values of the connector and auth variables resolved
 * by `resolveValues` (SPEC §3: the first of `layers` that sets a key wins, then definition
 * defaults; credential and prototype keys dropped). With `instance`, the context of that instance.
 *
 * @example
 * ```ts
 * const ctx = authContext(connector, method, services, [input.variables]);
 * const ictx = authContext(connector, method, services, [record.variables], record);
 * ```
 */
export function authContext(
  connector: CompiledConnector,
  method: CompiledMethod,
  services: AuthServices,
  layers: readonly (Readonly<Record<string, string>> | undefined)[],
): AuthContext;
export function authContext(
  connector: CompiledConnector,
  method: CompiledMethod,
  services: AuthServices,
  layers: readonly (Readonly<Record<string, string>> | undefined)[],
  instance: InstanceRecord,
): InstanceContext;
export function authContext(
  connector: CompiledConnector,
  method: CompiledMethod,
  services: AuthServices,
  layers: readonly (Readonly<Record<string, string>> | undefined)[],
  instance?: InstanceRecord,
): AuthContext {
  const { store, logger, now, dispatcher, callbackUrl } = services;
  const context: AuthContext = {
    connector: connector.definition,
    method: method.definition,
    templates: method.templates,
    values: resolveValues(method.variables, ...layers),
    ...(callbackUrl === undefined ? {} : { callbackUrl }),
    ...(dispatcher === undefined ? {} : { dispatcher }),
    store,
    logger,
    now,
  };
  if (instance === undefined) return context;
  const instanceContext: InstanceContext = { ...context, instance };
  return instanceContext;
}
