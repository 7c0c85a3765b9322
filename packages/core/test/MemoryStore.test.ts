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

describe('MemoryStore values', () => {
  it('gives back what the SQLite and Redis stores give back: the JSON of the value', async () => {
    const store = new MemoryStore();
    const value = { a: 1, gone: undefined, list: [1, 'two'], nested: { at: '2026-12-01' } };
    await store.set('k', value as never);
    value.nested.at = 'changed after set';
    const read = await store.get('k');
    expect(read?.value).toEqual({ a: 1, list: [1, 'two'], nested: { at: '2026-12-01' } });
    expect(Object.keys(read?.value as object)).not.toContain('gone');
    (read?.value as { a: number }).a = 2;
    expect((await store.get('k'))?.value).toMatchObject({ a: 1 });
  });

  it('refuses a value that is not JSON, naming the key', async () => {
    const store = new MemoryStore();
    const error = await store.set('k', undefined as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((error as Error).message).toContain('"k"');
  });
});
