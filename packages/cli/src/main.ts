// The `splice` command's entry, bundled to dist/main.js. `--version` is answered before anything
// else loads; every other command loads the command line, then only what that command needs.
import { readFileSync } from 'node:fs';

const argv = process.argv.slice(2);
// src/main.ts and dist/main.js both sit one level below the package root.
const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${version}\n`);
} else {
  const { runCli } = await import('./runCli.js');
  // Under `pnpm -F @splice/cli splice …` the working directory is the package; paths the user
  // typed are relative to where pnpm was started.
  const cwd =
    process.env['npm_lifecycle_event'] === 'splice' && process.env['INIT_CWD'] !== undefined
      ? process.env['INIT_CWD']
      : process.cwd();
  const code = await runCli(argv, { cwd, version });
  process.exitCode = code;
  // A stray keep-alive socket must not keep a finished command alive.
  setTimeout(() => process.exit(code), 1000).unref();
}
