import {
  type AuthContext,
  type AuthStrategy,
  type ConnectorDefinition,
  type Instance,
  type InstanceContext,
  type InstanceRecord,
  type Logger,
  MemoryStore,
  noopLogger,
  type ResolvedAuthMethod,
  type Store,
} from '@splice/core';
import type { AuthServices } from '../catalog/AuthServices.js';
import { authContext } from '../catalog/authContext.js';
import { ConnectorCatalog } from '../catalog/ConnectorCatalog.js';
import type { AddInstanceInput, AuthorizationStart, ReauthorizeInput } from '../RuntimeOptions.js';
import { Authorizer } from './Authorizer.js';
import type { CallbackInput } from './callbackParams.js';
import { InstanceRepository } from './InstanceRepository.js';

/**
 * Options of {@link createInstanceLifecycle}: the strategy-facing subset of `createRuntime`'s.
 *
 * @example
 * ```ts
 * const options: InstanceLifecycleOptions = { connectors: [acme], strategies: [myStrategy()] };
 * ```
 */
export interface InstanceLifecycleOptions {
  readonly connectors: readonly ConnectorDefinition[];
  readonly strategies: readonly AuthStrategy[];
  /** Default: a new `MemoryStore`. */
  readonly store?: Store;
  readonly callbackUrl?: string;
  /** An undici `Dispatcher` handed to strategies. */
  readonly dispatcher?: object;
  readonly logger?: Logger;
  /** Epoch-millisecond clock; default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The runtime's instance lifecycle and strategy contexts without endpoint calls.
 *
 * @example
 * ```ts
 * const instance = await lifecycle.add({ connectorId: 'acme', authMethodId: 'key', name: 'x' });
 * const ctx = lifecycle.instanceContext(await lifecycle.record(instance.id));
 * ```
 */
export interface InstanceLifecycle {
  readonly store: Store;
  /** `runtime.beginAuthorization`. */
  begin(input: AddInstanceInput | ReauthorizeInput): Promise<AuthorizationStart>;
  /** `runtime.completeAuthorization`. */
  complete(callback: CallbackInput): Promise<Instance>;
  /** `runtime.addInstance`. */
  add(input: AddInstanceInput): Promise<Instance>;
  /** The method as the runtime resolves it (strategy defaults merged). */
  method(connectorId: string, authMethodId: string): ResolvedAuthMethod;
  /** The context the runtime gives the strategy for `values` entered by a user. */
  authContext(
    connectorId: string,
    authMethodId: string,
    values?: Readonly<Record<string, string>>,
  ): AuthContext;
  /**
   * The context the runtime gives the strategy for the instance `record` (as stored); `values`
   * win over its saved ones.
   */
  instanceContext(
    record: InstanceRecord,
    values?: Readonly<Record<string, string>>,
  ): InstanceContext;
  /** The stored record of `instanceId`; `INSTANCE_NOT_FOUND` when there is none. */
  record(instanceId: string): Promise<InstanceRecord>;
}

/**
 * The runtime's own catalog, instance repository and authorizer — the one lifecycle — with the
 * contexts it builds for strategies, for testing a strategy without endpoint calls (the testkit's
 * strategy harness is built on it). Instances and credentials land in the store exactly as a
 * runtime on that store would find them.
 *
 * @example
 * ```ts
 * const lifecycle = createInstanceLifecycle({ connectors: [acme], strategies: [oauth2AuthorizationCode()],
 *   callbackUrl: 'http://127.0.0.1:1/callback' });
 * const { authorizationUrl } = await lifecycle.begin({ connectorId: 'acme', authMethodId: 'acme-oauth', name: 'x' });
 * ```
 */
export function createInstanceLifecycle(options: InstanceLifecycleOptions): InstanceLifecycle {
  const now = options.now ?? Date.now;
  const store = options.store ?? new MemoryStore({ now });
  const services: AuthServices = {
    store,
    logger: options.logger ?? noopLogger,
    now,
    dispatcher: options.dispatcher,
    callbackUrl: options.callbackUrl,
  };
  const catalog = new ConnectorCatalog(options.connectors, options.strategies);
  const repository = new InstanceRepository(store);
  const authorizer = new Authorizer(catalog, repository, services, async (instanceId, method) =>
    method.strategy.forget?.(instanceId),
  );
  const compiled = (connectorId: string, authMethodId: string) => {
    const connector = catalog.connector(connectorId);
    return { connector, method: catalog.method(connector, authMethodId) };
  };
  return {
    store,
    begin: (input) => authorizer.begin(input),
    complete: (callback) => authorizer.complete(callback),
    add: (input) => authorizer.add(input),
    method: (connectorId, authMethodId) => compiled(connectorId, authMethodId).method.definition,
    authContext(connectorId, authMethodId, values) {
      const { connector, method } = compiled(connectorId, authMethodId);
      return authContext(connector, method, services, [values]);
    },
    instanceContext(record, values) {
      const { connector, method } = compiled(record.connectorId, record.authMethodId);
      return authContext(connector, method, services, [values, record.variables], record);
    },
    record: (instanceId) => repository.record(instanceId),
  };
}
