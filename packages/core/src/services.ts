import type { ConnectorDefinition } from './definition/types.js';
import type { Logger } from './logger.js';
import type { Store } from './store/Store.js';
import type { AuthStrategy } from './strategy/AuthStrategy.js';

declare const serviceType: unique symbol;

/**
 * A symbol that names a service in the runtime's inversify container and carries its type, so
 * `container.get(SpliceServices.Store)` needs no cast. Plain symbols: no decorators and no
 * `reflect-metadata` import are needed to use them.
 */
export type ServiceKey<T> = symbol & { readonly [serviceType]?: T };

function key<T>(name: string): ServiceKey<T> {
  return Symbol.for(`splice.${name}`) as ServiceKey<T>;
}

/**
 * Service identifiers shared by every Splice package and by engines that extend the runtime's
 * container with their own modules.
 *
 * @example
 * ```ts
 * const module = new ContainerModule(({ bind }) => {
 *   bind(SpliceServices.Strategy).toConstantValue(myStrategy());
 * });
 * ```
 */
export const SpliceServices = {
  /** Every registered {@link AuthStrategy} (multi-bound). */
  Strategy: key<AuthStrategy>('Strategy'),
  /** Every loaded {@link ConnectorDefinition} (multi-bound). */
  Connector: key<ConnectorDefinition>('Connector'),
  Store: key<Store>('Store'),
  Logger: key<Logger>('Logger'),
  /** An undici `Dispatcher`. */
  Dispatcher: key<object>('Dispatcher'),
  /** Epoch-milliseconds clock. */
  Clock: key<() => number>('Clock'),
  /** The runtime's default redirect URI. */
  CallbackUrl: key<string>('CallbackUrl'),
} as const;
