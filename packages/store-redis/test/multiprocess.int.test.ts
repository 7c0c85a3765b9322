import { randomBytes, randomUUID } from 'node:crypto';
import { checkRedis } from '@splice/testkit';
import {
  describeMultiProcessStoreConformance,
  describeRuntimeOnStoreConformance,
} from '@splice/testkit/conformance';
import { Redis } from 'ioredis';
import { afterAll, describe } from 'vitest';
import { removeKeys } from './support/removeKeys.js';

const redis = await checkRedis();
// Every key the processes write is under one prefix per run, removed at the end: the store's
// keys start with it, bottleneck's limiter keys with `b_` and then it.
const runPrefix = `splice-test:${randomUUID()}:`;
afterAll(async () => {
  if (!redis.available) return;
  const admin = new Redis();
  await removeKeys(admin, [`${runPrefix}*`, `b_${runPrefix}*`]);
  await admin.quit();
});

const module = new URL('./fixtures/redisStoreProcess.ts', import.meta.url);
const storeOptions = () => ({
  prefix: `${runPrefix}${randomUUID()}:`,
  encryption: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }] },
});

describe.skipIf(!redis.available)(`RedisStore across processes${redis.reason}`, () => {
  describeMultiProcessStoreConformance('RedisStore', { module, storeOptions });
  describeRuntimeOnStoreConformance('RedisStore', {
    module,
    storeOptions,
    // Every key of the deployment and every string value (leases and counters included).
    readAtRest: async ({ prefix }) => {
      const admin = new Redis();
      try {
        const keys = await admin.keys(`${String(prefix)}*`);
        const values = await Promise.all(keys.map((key) => admin.get(key).catch(() => '')));
        return [...keys, ...values].join('\n');
      } finally {
        await admin.quit();
      }
    },
  });
});
