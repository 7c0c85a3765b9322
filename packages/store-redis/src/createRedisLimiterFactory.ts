import { invalidArgument } from '@splice/core';
import Bottleneck from 'bottleneck';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Options of {@link createRedisLimiterFactory}.
 *
 * @example
 * ```ts
 * const options: RedisLimiterFactoryOptions = { clientOptions: 'redis://10.0.0.5:6379', prefix: 'prod:' };
 * ```
 */
export interface RedisLimiterFactoryOptions {
  /**
   * An ioredis client to start from. The factory duplicates it (same server and options) for
   * bottleneck, so closing the factory never closes this client.
   */
  readonly client?: Redis;
  /** How to connect when no `client` is given: ioredis options or a `redis://` URL. */
  readonly clientOptions?: RedisOptions | string;
  /**
   * Put in front of every limiter id, one per deployment, so two deployments on one server never
   * share a limit by accident. Default `"splice:"`.
   */
  readonly prefix?: string;
}

/**
 * The limiter options the runtime computes for one instance; `id` names the shared limit.
 *
 * @example
 * ```ts
 * const options: LimiterOptions = { id: 'splice:rate-limit:acme:i1', minTime: 100 };
 * ```
 */
export type LimiterOptions = Bottleneck.ConstructorOptions & { readonly id: string };

/**
 * Makes the bottleneck limiter of one instance; the runtime's default is
 * `(options) => new Bottleneck(options)`. `close()` disconnects the shared Redis connection.
 *
 * @example
 * ```ts
 * const limiter = factory({ id: 'splice:rate-limit:acme:i1', minTime: 100 });
 * await limiter.schedule(() => send());
 * await factory.close();
 * ```
 */
export interface RedisLimiterFactory {
  (options: LimiterOptions): Bottleneck;
  /** Disconnects the Redis clients the factory made (call after the runtime closed its limiters). */
  close(): Promise<void>;
}

/**
 * Builds a limiter factory whose limiters keep their state in Redis (bottleneck's `ioredis`
 * datastore), so an instance's rate limit holds across every process and host of a deployment:
 * limiters with the same `id` in different processes share one reservoir, one `minTime` spacing
 * and one `maxConcurrent` count. All limiters of the factory share one
 * `Bottleneck.IORedisConnection` (two Redis connections in total, one of them for pub/sub), and
 * existing state is never wiped on start (`clearDatastore: false`), so a process joining later
 * does not reset the others' limit.
 *
 * @example
 * ```ts
 * import { createRedisLimiterFactory, RedisStore } from '@splice/store-redis';
 * const limiterFactory = createRedisLimiterFactory({ clientOptions: process.env.REDIS_URL! });
 * const runtime = createRuntime({ connectors, strategies, store: new RedisStore({ … }),
 *   limiterFactory });
 * // later: await runtime.close(); await limiterFactory.close();
 * ```
 */
export function createRedisLimiterFactory(
  options: RedisLimiterFactoryOptions = {},
): RedisLimiterFactory {
  if (typeof options !== 'object' || options === null) {
    throw invalidArgument('createRedisLimiterFactory options must be an object', 'INVALID_OPTION');
  }
  const { client, clientOptions, prefix = 'splice:' } = options;
  if (client !== undefined && clientOptions !== undefined) {
    throw invalidArgument(
      'createRedisLimiterFactory takes either "client" or "clientOptions", not both',
      'INVALID_OPTION',
    );
  }
  if (typeof prefix !== 'string') {
    throw invalidArgument(
      `createRedisLimiterFactory option "prefix" must be a string, got ${typeof prefix}`,
      'INVALID_OPTION',
    );
  }
  // bottleneck quits both of its clients on disconnect, so it gets clients of its own.
  const own =
    client !== undefined
      ? client.duplicate()
      : typeof clientOptions === 'string'
        ? new Redis(clientOptions)
        : new Redis(clientOptions ?? {});
  // The ioredis class is passed explicitly: bottleneck's own require('ioredis') cannot see it
  // under pnpm's strict node_modules.
  const connection = new Bottleneck.IORedisConnection({ Redis, client: own });
  // bottleneck reports connection errors as events; without a listener it would throw them.
  connection.on('error', () => {});
  let closed = false;

  const factory = ((limiterOptions: LimiterOptions): Bottleneck => {
    if (closed) {
      throw invalidArgument('this limiter factory is closed: create a new one', 'INVALID_OPTION');
    }
    if (typeof limiterOptions?.id !== 'string' || limiterOptions.id === '') {
      throw invalidArgument('limiter "id" must be a non-empty string', 'INVALID_ARGUMENT');
    }
    return new Bottleneck({
      ...limiterOptions,
      id: `${prefix}${limiterOptions.id}`,
      datastore: 'ioredis',
      Redis,
      connection,
      clearDatastore: false,
    });
  }) as RedisLimiterFactory;
  factory.close = async () => {
    if (closed) return;
    closed = true;
    await connection.disconnect(true);
  };
  return factory;
}
