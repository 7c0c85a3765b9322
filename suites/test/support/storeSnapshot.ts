import type { Store, StoreEntry } from '@splice/core';

/**
 * Every entry of a store (value and version) except one-time authorization states and locks,
 * sorted by key: what a failed operation must leave exactly as it was.
 *
 * @example
 * ```ts
 * const before = await storeSnapshot(store);
 * await expect(runtime.completeAuthorization(callback)).rejects.toThrow();
 * expect(await storeSnapshot(store)).toEqual(before);
 * ```
 */
export async function storeSnapshot(store: Store): Promise<Record<string, StoreEntry>> {
  const out: Record<string, StoreEntry> = {};
  for (const key of (await store.keys('')).sort()) {
    if (key.startsWith('pending:') || key.startsWith('lock:')) continue;
    const entry = await store.get(key);
    if (entry !== undefined) out[key] = entry;
  }
  return out;
}
