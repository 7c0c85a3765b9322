import type { Redis } from 'ioredis';

/**
 * Deletes every key matching one of the glob `patterns`, walking the key space with SCAN (never
 * KEYS): how a test file leaves a shared Redis as it found it.
 *
 * @example
 * ```ts
 * afterAll(() => removeKeys(admin, [`${runPrefix}*`]));
 * ```
 */
export async function removeKeys(admin: Redis, patterns: readonly string[]): Promise<void> {
  for (const pattern of patterns) {
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
}
