import { runCli } from './runCli.js';

// Under `pnpm -F @splice/cli splice …` the working directory is the package; paths the user typed
// are relative to where pnpm was started.
const cwd =
  process.env['npm_lifecycle_event'] === 'splice' && process.env['INIT_CWD'] !== undefined
    ? process.env['INIT_CWD']
    : process.cwd();
const code = await runCli(process.argv.slice(2), { cwd });
process.exitCode = code;
// A stray keep-alive socket must not keep a finished command alive.
setTimeout(() => process.exit(code), 1000).unref();
