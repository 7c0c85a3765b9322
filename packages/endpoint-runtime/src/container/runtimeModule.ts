import { createRequire } from 'node:module';
import {
  type AuthStrategy,
  type ConnectorDefinition,
  type Logger,
  MemoryStore,
  noopLogger,
  SpliceServices,
  type Store,
} from '@splice/core';
import { UndiciAgent } from '@splice/http';
import type Bottleneck from 'bottleneck';
import { ContainerModule } from 'inversify';
import type { Dispatcher } from 'undici';
import { createReauthorizationHook } from '../calls/createReauthorizationHook.js';
import { Sessions } from '../calls/Sessions.js';
import type { AuthServices } from '../catalog/AuthServices.js';
import { ConnectorCatalog } from '../catalog/ConnectorCatalog.js';
import { Authorizer } from '../connections/Authorizer.js';
import { InstanceRepository } from '../connections/InstanceRepository.js';
import { PostAuthorization } from '../connections/PostAuthorization.js';
import { RuntimeEventEmitter } from '../events/RuntimeEvents.js';
import { createAuthLayer } from '../pipeline/createAuthLayer.js';
import { createRetryLayer } from '../pipeline/createRetryLayer.js';
import { createTransport } from '../pipeline/createTransport.js';
import type { Layer } from '../pipeline/EndpointCall.js';
import { Runtime } from '../Runtime.js';
import type { LimiterFactory, RuntimeOptions } from '../RuntimeOptions.js';
import { EndpointTelemetry } from '../telemetry/EndpointTelemetry.js';
import { RuntimeServices } from './RuntimeServices.js';
import type { RuntimeSettings } from './RuntimeSettings.js';

let BottleneckClass: typeof Bottleneck | undefined;
/**
 * `new Bottleneck(options)`, the package loaded on the first limiter (an instance of a connector
 * with a rate limit): a runtime whose connectors have none never loads its CommonJS files. A
 * bundler sees the literal `require('bottleneck')`; unbundled ES modules have no `require` and
 * load it from this package's dependencies.
 */
const defaultLimiterFactory: LimiterFactory = (options) => {
  BottleneckClass ??=
    typeof require === 'function'
      ? (require('bottleneck') as typeof Bottleneck)
      : (createRequire(import.meta.url)('bottleneck') as typeof Bottleneck);
  return new BottleneckClass(options);
};

/**
 * Sockets the default dispatcher opens to one origin at most; requests beyond them wait in
 * undici's queue for a free one. Without a bound undici opens about two sockets per request in
 * flight (a socket is not yet free when the next request is dispatched in the same turn), which
 * costs ~10–17% more client CPU per call with 64 in flight (`bench/ANALYSIS.md`).
 *
 * @example
 * ```ts
 * new Agent({ keepAliveTimeout: 10_000, connections: DEFAULT_CONNECTIONS_PER_ORIGIN });
 * ```
 */
export const DEFAULT_CONNECTIONS_PER_ORIGIN = 64;

/** Ids of the runtime's own parts: bound and resolved here only. */
const Parts = {
  Catalog: Symbol('splice.runtime.Catalog'),
  Services: Symbol('splice.runtime.AuthServices'),
  Repository: Symbol('splice.runtime.Repository'),
  Sessions: Symbol('splice.runtime.Sessions'),
  Authorizer: Symbol('splice.runtime.Authorizer'),
  PostAuthorization: Symbol('splice.runtime.PostAuthorization'),
} as const;

/**
 * The runtime's container bindings — the one way a runtime is assembled. What an engine may bind
 * or `rebind` in its own modules: connectors and strategies (multi-bound under
 * `SpliceServices.Connector` / `.Strategy`), store, logger, clock, dispatcher, callback URL
 * (`SpliceServices`), limiter factory, pipeline layers and settings (`RuntimeServices`). From
 * them the container resolves, with `toResolvedValue` and no decorators: the connector catalog,
 * the instance repository and authorizer, the session cache with its pipeline, and the
 * {@link Runtime} facade.
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
    for (const layer of options.layers ?? []) bind(RuntimeServices.Layer).toConstantValue(layer);
    bind(SpliceServices.Clock).toConstantValue(options.now ?? Date.now);
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
      // One keep-alive Agent for every origin: undici keeps a bounded pool of sockets per origin.
      bind(SpliceServices.Dispatcher)
        .toResolvedValue(
          () =>
            new UndiciAgent({
              keepAliveTimeout: 10_000,
              connections: DEFAULT_CONNECTIONS_PER_ORIGIN,
            }),
        )
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

    bind<ConnectorCatalog>(Parts.Catalog)
      .toResolvedValue(
        (connectors: ConnectorDefinition[] | undefined, strategies: AuthStrategy[] | undefined) =>
          new ConnectorCatalog(connectors ?? [], strategies ?? []),
        [
          { serviceIdentifier: SpliceServices.Connector, isMultiple: true, optional: true },
          { serviceIdentifier: SpliceServices.Strategy, isMultiple: true, optional: true },
        ],
      )
      .inSingletonScope();
    bind<AuthServices>(Parts.Services)
      .toResolvedValue(
        (
          store: Store,
          logger: Logger,
          now: () => number,
          dispatcher: object,
          callbackUrl: string | undefined,
        ): AuthServices => ({ store, logger, now, dispatcher, callbackUrl }),
        [
          SpliceServices.Store,
          SpliceServices.Logger,
          SpliceServices.Clock,
          SpliceServices.Dispatcher,
          { serviceIdentifier: SpliceServices.CallbackUrl, optional: true },
        ],
      )
      .inSingletonScope();
    bind<InstanceRepository>(Parts.Repository)
      .toResolvedValue((store: Store) => new InstanceRepository(store), [SpliceServices.Store])
      .inSingletonScope();
    bind<Sessions>(Parts.Sessions)
      .toResolvedValue(
        (
          catalog: ConnectorCatalog,
          repository: InstanceRepository,
          services: AuthServices,
          limiterFactory: LimiterFactory,
          layers: Layer[] | undefined,
          runtimeSettings: RuntimeSettings,
        ) =>
          new Sessions(
            catalog,
            repository,
            services,
            limiterFactory,
            [
              createRetryLayer(runtimeSettings.retry, services.now, services.logger),
              createAuthLayer(services.logger),
              ...(layers ?? []),
            ],
            createTransport(services.dispatcher as Dispatcher, runtimeSettings.maxResponseBytes),
            runtimeSettings.statusRecheckMs,
            runtimeSettings.sessionCacheSize,
            // Only the runtime's own layers: one pipeline serves every unlimited instance.
            (layers ?? []).length === 0,
          ),
        [
          Parts.Catalog,
          Parts.Repository,
          Parts.Services,
          RuntimeServices.LimiterFactory,
          { serviceIdentifier: RuntimeServices.Layer, isMultiple: true, optional: true },
          RuntimeServices.Settings,
        ],
      )
      .inSingletonScope();
    bind<PostAuthorization>(Parts.PostAuthorization)
      .toResolvedValue(
        (
          catalog: ConnectorCatalog,
          repository: InstanceRepository,
          sessions: Sessions,
          services: AuthServices,
        ) => new PostAuthorization(catalog, repository, sessions, services.now),
        [Parts.Catalog, Parts.Repository, Parts.Sessions, Parts.Services],
      )
      .inSingletonScope();
    bind<Authorizer>(Parts.Authorizer)
      .toResolvedValue(
        (
          catalog: ConnectorCatalog,
          repository: InstanceRepository,
          services: AuthServices,
          sessions: Sessions,
          postAuthorization: PostAuthorization,
        ) =>
          new Authorizer(
            catalog,
            repository,
            services,
            async (instanceId, method) => {
              method.strategy.forget?.(instanceId);
              await sessions.drop(instanceId);
            },
            (instanceId) => postAuthorization.run(instanceId),
          ),
        [Parts.Catalog, Parts.Repository, Parts.Services, Parts.Sessions, Parts.PostAuthorization],
      )
      .inSingletonScope();
    bind(RuntimeServices.Runtime)
      .toResolvedValue(
        (
          catalog: ConnectorCatalog,
          repository: InstanceRepository,
          authorizer: Authorizer,
          sessions: Sessions,
          services: AuthServices,
          runtimeSettings: RuntimeSettings,
          postAuthorization: PostAuthorization,
        ) => {
          const events = new RuntimeEventEmitter(services.logger);
          return new Runtime({
            catalog,
            repository,
            authorizer,
            sessions,
            postAuthorization,
            events,
            telemetry: new EndpointTelemetry(),
            store: services.store,
            services,
            dispatcher: services.dispatcher as Dispatcher,
            settings: runtimeSettings,
            reauthorizationRequired: createReauthorizationHook(repository, events),
          });
        },
        [
          Parts.Catalog,
          Parts.Repository,
          Parts.Authorizer,
          Parts.Sessions,
          Parts.Services,
          RuntimeServices.Settings,
          Parts.PostAuthorization,
        ],
      )
      .inSingletonScope();
  });
}
