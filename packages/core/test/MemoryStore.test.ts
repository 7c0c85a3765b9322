import { MemoryStore, SpliceError } from '@splice/core';
import { describe, expect, it } from 'vitest';

describe('MemoryStore', () => {
  it('rejects a compare-and-set on a stale version', async () => {
    const store = new MemoryStore();
    const v1 = await store.set('k', { a: 1 });
    await store.set('k', { a: 2 }, { ifVersion: v1 });
    const error = await store.set('k', { a: 3 }, { ifVersion: v1 }).catch((e: unknown) => e);
    expect(SpliceError.is(error, 'STORE_CONFLICT')).toBe(true);
  });
});
