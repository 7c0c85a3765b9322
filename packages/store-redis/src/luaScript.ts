import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * A Lua script run with EVALSHA, falling back to EVAL once when the server does not know it.
 *
 * @example
 * ```ts
 * const reply = await script.run(client, ['splice:kv:k'], ['arg']);
 * ```
 */
export interface LuaScript {
  run(client: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

/**
 * Wraps a Lua script for atomic use on any client, without adding commands to it (a client the
 * caller passed in stays as it was). Redis runs a script as one step: nothing else executes
 * between its commands, which is what makes compare-and-set, take and the lease lock atomic.
 *
 * @example
 * ```ts
 * const take = luaScript("local v = redis.call('GET', KEYS[1]) ...");
 * const value = await take.run(client, ['splice:kv:pending:abc'], []);
 * ```
 */
export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(client, keys, args) {
      try {
        return await client.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        // After a restart or SCRIPT FLUSH the cache is empty: EVAL loads the script again.
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
        return await client.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
