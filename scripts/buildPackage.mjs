// Builds the published files of the package in the current directory (its `build` script):
// - the type declarations, by tsc (`tsconfig.build.json`, declarations only);
// - each entry of the package's `exports` map as one ES module made by esbuild from the entry's
//   `@splice/source` file, with the code shared between entries in `dist/chunks/` (one copy of
//   each module, so module state stays single) and a source map beside each file.
// Why: a fresh process pays about 1 ms per ES module it loads (resolve, read, parse, link), and the
// runtime's dependency graph was ~480 modules; bundled, importing a ready runtime loads a handful.
// The dependencies in INLINE are put into the bundles (pure ES modules with no state shared with a
// user's own copy: inversify with its @inversifyjs/* modules and reflect-metadata/lite, zod, and
// p-retry). Every other dependency stays an import of the installed package: the other @splice/*
// packages, peer dependencies (@opentelemetry/api: one API per process), undici (an engine may
// pass its own dispatcher), CommonJS and native packages (yaml, bottleneck, better-sqlite3).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { build } from 'esbuild';
import { nodeModuleOptions } from './esbuildOptions.mjs';

const INLINE = new Set(['inversify', 'zod', 'p-retry']);

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
/** `{ "dist/x": "src/x.ts" }` for every export with a source and a built file. */
const entryPoints = {};
for (const target of Object.values(pkg.exports ?? {})) {
  if (typeof target !== 'object' || target === null) continue;
  const source = target['@splice/source'];
  const built = target.default;
  if (typeof source !== 'string' || typeof built !== 'string') continue;
  entryPoints[built.replace(/^\.\/dist\//, '').replace(/\.js$/, '')] = source;
}
if (Object.keys(entryPoints).length === 0) throw new Error(`${pkg.name}: no entry in exports`);
const external = [
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
  ...Object.keys(pkg.optionalDependencies ?? {}),
  ...Object.keys(pkg.devDependencies ?? {}),
].filter((name) => !INLINE.has(name));

await rm('dist', { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--emitDeclarationOnly'], {
  stdio: 'inherit',
});
await build({
  ...nodeModuleOptions,
  entryPoints,
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  external,
  sourcemap: true,
  sourcesContent: false,
});
