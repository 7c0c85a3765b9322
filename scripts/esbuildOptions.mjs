// The esbuild options every Splice bundle shares (the library packages' `dist/`, built by
// scripts/buildPackage.mjs, and the `splice` command's, packages/cli/scripts/bundle.js): ES
// modules for Node 20.19, code shared between entries split into chunks.
export const nodeModuleOptions = {
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // CommonJS code bundled into ES modules, and a dependency loaded on first use
  // (`require('yaml')` in a function), call `require`: ES modules have none of their own.
  banner: {
    js: "import { createRequire as __spliceRequire } from 'node:module'; const require = __spliceRequire(import.meta.url);",
  },
  logLevel: 'warning',
};
