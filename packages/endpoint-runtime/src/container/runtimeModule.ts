import {
  type AuthStrategy,
  type ConnectorDefinition,
  type Logger,
  MemoryStore,
  noopLogger,
  SpliceServices,
  type Store,
} from '@splice/core';
import Bottleneck from 'bottleneck';
import { ContainerModule } from 'inversify';
import { Agent, type Dispatcher } from 'undici';
import { Runtime } from '../Runtime.js';
import type { LimiterFactory, RuntimeOptions } from '../RuntimeOptions.js';
import { RuntimeServices } from './RuntimeServices.js';
import type { RuntimeSettings } from './RuntimeSettings.js';

const defaultLimiterFactory: LimiterFactory = (options) => new Bottleneck(options);

/**
 * The runtime's own container bindings: connectors and strategies (multi-bound), store, logger,
 * clock, dispatcher, callback URL, limiter factory, settings, and the {@link Runtime} resolved from
 * them with `toResolvedValue`. No decorators, no `reflect-metadata` import for users.
 *
 * @example
 * ```ts
 * container.load(runtimeModule(options, resolveSettings(options)));
 * const runtime = container.get(RuntimeServices.Runtime);
 * ```
 */
export function runtimeModule(options: RuntimeOptions, settings: RuntimeSettings): ContainerModule {
  return new ContainerModule(({ bind }) => {
    for (const connector of options.connectors) {
      bind(SpliceServices.Connector).toConstantValue(connector);
    }
    for (const strategy of options.strategies ?? []) {
      bind(SpliceServices.Strategy).toConstantValue(strategy);
    }
    const now = options.now ?? Date.now;
    bind(SpliceServices.Clock).toConstantValue(now);
    bind(SpliceServices.Logger).toConstantValue(options.logger ?? noopLogger);
    if (options.store === undefined) {
      bind(SpliceServices.Store)
        .toResolvedValue(
          (clock: () => number) => new MemoryStore({ now: clock }),
          [SpliceServices.Clock],
        )
        .inSingletonScope();
    } else {
      bind(SpliceServices.Store).toConstantValue(options.store);
    }
    if (options.dispatcher === undefined) {
      // One keep-alive Agent for every origin: undici keeps a pool of sockets per origin.
      bind(SpliceServices.Dispatcher)
        .toResolvedValue(() => new Agent({ keepAliveTimeout: 10_000 }))
        .inSingletonScope();
    } else {
      bind(SpliceServices.Dispatcher).toConstantValue(options.dispatcher);
    }
    if (options.callbackUrl !== undefined) {
      bind(SpliceServices.CallbackUrl).toConstantValue(options.callbackUrl);
    }
    bind(RuntimeServices.LimiterFactory).toConstantValue(
      options.limiterFactory ?? defaultLimiterFactory,
    );
    bind(RuntimeServices.Settings).toConstantValue(settings);
    bind(RuntimeServices.Runtime)
      .toResolvedValue(
        (
          connectors: ConnectorDefinition[] | undefined,
          strategies: AuthStrategy[] | undefined,
          store: Store,
          logger: Logger,
          clock: () => number,
          dispatcher: object,
          callbackUrl: string | undefined,
          limiterFactory: LimiterFactory,
          runtimeSettings: RuntimeSettings,
        ) =>
          new Runtime({
            connectors: connectors ?? [],
            strategies: strategies ?? [],
            store,
            logger,
            now: clock,
            dispatcher: dispatcher as Dispatcher,
            callbackUrl,
            limiterFactory,
            settings: runtimeSettings,
          }),
        [
          { serviceIdentifier: SpliceServices.Connector, isMultiple: true, optional: true },
          { serviceIdentifier: SpliceServices.Strategy, isMultiple: true, optional: true },
          SpliceServices.Store,
          SpliceServices.Logger,
          SpliceServices.Clock,
          SpliceServices.Dispatcher,
          { serviceIdentifier: SpliceServices.CallbackUrl, optional: true },
          RuntimeServices.LimiterFactory,
          RuntimeServices.Settings,
        ],
      )
      .inSingletonScope();
  });
}
