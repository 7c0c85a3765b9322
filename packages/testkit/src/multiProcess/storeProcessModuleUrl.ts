import { pathToFileURL } from 'node:url';

/**
 * The file URL of a store process module given as a path or URL: the one form that both `import()`
 * and a child's argument list take.
 *
 * @example
 * ```ts
 * storeProcessModuleUrl('/repo/test/fixtures/sqlite.ts'); // 'file:///repo/test/fixtures/sqlite.ts'
 * ```
 */
export function storeProcessModuleUrl(module: string | URL): string {
  if (module instanceof URL) return module.href;
  return module.startsWith('file:') ? module : pathToFileURL(module).href;
}
