import type { StoreProcessModule } from './StoreProcessModule.js';

/**
 * Imports a {@link StoreProcessModule} and checks that it exports `createStore` and what else a
 * suite `needs`, so a wrong module fails with its name rather than deep inside a child process.
 *
 * @example
 * ```ts
 * const { createStore } = await loadStoreProcessModule(url, []);
 * ```
 */
export async function loadStoreProcessModule(
  url: string,
  needs: readonly Exclude<keyof StoreProcessModule, 'createStore'>[],
): Promise<StoreProcessModule> {
  const loaded = (await import(/* @vite-ignore */ url)) as Partial<Record<string, unknown>>;
  for (const name of ['createStore', ...needs]) {
    if (typeof loaded[name] !== 'function') {
      throw Object.assign(new TypeError(`the store process module ${url} exports no ${name}()`), {
        code: 'INVALID_ARGUMENT',
      });
    }
  }
  return loaded as unknown as StoreProcessModule;
}
