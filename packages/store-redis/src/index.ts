export {
  createRedisLimiterFactory,
  type LimiterOptions,
  type RedisLimiterFactory,
  type RedisLimiterFactoryOptions,
} from './createRedisLimiterFactory.js';
export { REDIS_STORE_TIMEOUT_MS, RedisStore, type RedisStoreOptions } from './RedisStore.js';
