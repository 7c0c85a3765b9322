export {
  createRedisLimiterFactory,
  type LimiterOptions,
  type RedisLimiterFactory,
  type RedisLimiterFactoryOptions,
} from './createRedisLimiterFactory.js';
export { RedisStore, type RedisStoreOptions } from './RedisStore.js';
