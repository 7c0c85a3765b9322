// `pnpm demo`: the Splice demo, run from the sources with tsx (no build step).
//   pnpm demo            headless consent, prints the step log and a summary
//   pnpm demo --browser  consent in your browser
//   pnpm demo --ui       afterwards, serve the connector dashboard until Ctrl-C
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('must be a port number (0-65535)');
  }
  return port;
}

const program = new Command('pnpm demo')
  .description(
    'Run the Splice demo on loopback: authorization server, Acme API, OAuth 1 provider, one instance of every built-in authentication type, gated endpoints, refresh and replay.',
  )
  .option('--browser', 'consent in your browser instead of headlessly')
  .option('--ui', 'start the connector dashboard afterwards and keep running')
  .option('--port <port>', 'port of the callback server (--browser) or dashboard (--ui)', parsePort)
  .addOption(
    new Option('--state-dir <dir>', 'where state persists (default .splice)')
      .env('SPLICE_HOME')
      .default(undefined, '.splice'),
  )
  .option('--connector <file>', 'connector file (default apps/demo/connectors/acme.yaml)')
  .option('--account <name>', 'the Acme account variable', 'northwind')
  .showHelpAfterError()
  .exitOverride();

const args = process.argv.slice(2);
// `pnpm demo -- --ui` passes the separator through.
if (args[0] === '--') args.shift();
let code: number;
try {
  const flags = program.parse(args, { from: 'user' }).opts<{
    browser?: boolean;
    ui?: boolean;
    port?: number;
    stateDir?: string;
    connector?: string;
    account: string;
  }>();
  // The demo and everything it starts load only once the flags are known to be good.
  const { demoCommand } = await import('./demoCommand.js');
  code = await demoCommand({
    browser: flags.browser === true,
    ui: flags.ui === true,
    account: flags.account,
    stateDir: resolve(flags.stateDir ?? '.splice'),
    ...(flags.port === undefined ? {} : { port: flags.port }),
    ...(flags.connector === undefined ? {} : { connectorPath: resolve(flags.connector) }),
  });
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  code = error.code === 'commander.helpDisplayed' ? 0 : error.exitCode;
}
process.exitCode = code;
// The demo is over: a Ctrl-C that a wrapper (pnpm, tsx) relays late must not turn a clean exit
// into a death by signal (130).
const ignore = (): void => {};
process.on('SIGINT', ignore);
process.on('SIGTERM', ignore);
// A stray keep-alive socket must not keep a finished demo alive.
setTimeout(() => process.exit(code), 1000).unref();
