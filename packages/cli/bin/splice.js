#!/usr/bin/env node
// The `splice` command: runs the bundle in dist/ (`pnpm -F @splice/cli build` makes it; an
// installed package ships it).
await import('../dist/main.js').catch((error) => {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/main.js')) {
    throw error;
  }
  process.stderr.write('splice: dist/main.js is missing: run `pnpm -F @splice/cli build` first.\n');
  process.exitCode = 1;
});
