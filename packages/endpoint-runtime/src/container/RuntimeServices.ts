import type { ServiceKey } from '@splice/core';
import type { Layer } from '../pipeline/EndpointCall.js';
import type { Runtime } from '../Runtime.js';
import type { LimiterFactory } from '../RuntimeOptions.js';
import type { RuntimeSettings } from './RuntimeSettings.js';

function key<T>(name: string): ServiceKey<T> {
  return Symbol.for(`splice.runtime.${name}`) as ServiceKey<T>;
}

/**
 * Service identifiers of the runtime's own container bindings, next to core's `SpliceServices`.
 * An engine module may `rebind` them, e.g. to share rate limits through Redis.
 *
 * @example
 * ```ts
 * new ContainerModule(({ rebind }) => {
 *   rebind(RuntimeServices.LimiterFactory).toConstantValue(redisLimiterFactory);
 * });
 * ```
 */
export const RuntimeServices = {
  /** Makes per-instance bottleneck limiters. */
  LimiterFactory: key<LimiterFactory>('LimiterFactory'),
  /** The engine's pipeline layers (multi-bound), below auth, outermost first. */
  Layer: key<Layer>('Layer'),
  /** Retry policy, response bound and ownership facts. */
  Settings: key<RuntimeSettings>('Settings'),
  /** The runtime itself. */
  Runtime: key<Runtime>('Runtime'),
} as const;
