// Bundles the `splice` command from the TypeScript sources (the workspace packages through their
// `@splice/source` export condition) into dist/main.js plus shared chunks in dist/chunks/, so
// the installed command needs no TypeScript loader and `--version` loads one small file.
// Used by `pnpm build` and by the tests that run bin/splice.js.
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';
import { nodeModuleOptions } from '../../../scripts/esbuildOptions.mjs';

const root = new URL('..', import.meta.url);
await rm(new URL('dist/chunks/', root), { recursive: true, force: true });
await build({
  ...nodeModuleOptions,
  absWorkingDir: root.pathname,
  entryPoints: ['src/main.ts'],
  outdir: 'dist',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  conditions: ['@splice/source'],
  // better-sqlite3 is a native addon that finds its .node file relative to itself, so it stays a
  // dependency; `splice simulate` loads @splice/testkit (and @splice/connectors when installed)
  // with a dynamic import(): optional peer dependencies, never bundled into the command.
  external: ['better-sqlite3', '@splice/testkit', '@splice/connectors'],
});
