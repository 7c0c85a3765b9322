#!/usr/bin/env node
// The `splice` command. Inside the Splice repository (sources present) it runs the TypeScript
// sources through tsx, so a stale or partial dist/ never shadows them and `--ui` can load the
// workspace dashboard; an installed package ships only dist/ and runs that.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../src/main.ts', import.meta.url));
if (!existsSync(source)) {
  await import(new URL('../dist/main.js', import.meta.url).href);
} else {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@splice/source',
      '--import',
      import.meta.resolve('tsx'),
      source,
      ...process.argv.slice(2),
    ],
    { stdio: 'inherit' },
  );
  // The child shuts down cleanly on Ctrl-C; this process relays the signals and waits for it.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 130)));
}
