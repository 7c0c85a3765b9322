// `pnpm demo`: the Splice demo, run from the sources (no build step). Flags go to `splice demo`:
//   pnpm demo            headless consent, prints the step log and a summary
//   pnpm demo --browser  consent in your browser
//   pnpm demo --ui       afterwards, serve the connector dashboard until Ctrl-C
import { runCli, type StartDashboard } from '@splice/cli';

// The dashboard is loaded only for --ui.
const startDashboard: StartDashboard = async (options) => {
  const dashboard = await import('@splice-examples/dashboard');
  return dashboard.startDashboard(options);
};

const args = process.argv.slice(2);
// `pnpm demo -- --ui` passes the separator through; `splice demo` wants the flags alone.
if (args[0] === '--') args.shift();
const code = await runCli(['demo', ...args], { startDashboard });
process.exitCode = code;
setTimeout(() => process.exit(code), 1000).unref();
