import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { authTestCommand, DEFAULT_CALLBACK_PORT } from './commands/authTestCommand.js';
import { demoCommand } from './commands/demoCommand.js';
import { type Output, processOutput } from './commands/Output.js';
import { validateCommand } from './commands/validateCommand.js';
import type { StartDashboard } from './demo/runDemo.js';

/** Options of {@link runCli}. */
export interface CliOptions {
  readonly output?: Output;
  /** Directory relative paths are resolved against; default the working directory. */
  readonly cwd?: string;
  /** Serves the dashboard for `demo --ui` (examples/dashboard's `startDashboard`). */
  readonly startDashboard?: StartDashboard;
}

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('must be a port number (0-65535)');
  }
  return port;
}

function collectVariable(value: string, previous: Record<string, string>): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/**
 * Runs the `splice` command line with `argv` (without the node and script entries) and returns
 * the exit code instead of exiting, so it can be embedded and tested.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(['validate', 'examples/connectors/acme.yaml']);
 * ```
 */
export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const output = options.output ?? processOutput();
  const cwd = options.cwd ?? process.cwd();
  let exitCode = 0;
  const program = new Command('splice')
    .description('Splice: validate connector definitions, test an auth method, run the demo.')
    .version(version)
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({
      writeOut: (text) => output.stdout.write(text),
      writeErr: (text) => output.stderr.write(text),
    });

  program
    .command('validate')
    .description('Check a connector definition (.json, .yaml, .yml): every problem with its path.')
    .argument('<file>', 'connector definition file')
    .action(async (file: string) => {
      exitCode = await validateCommand(resolve(cwd, file), output);
    });

  const auth = program.command('auth').description('Work with authentication methods.');
  auth
    .command('test')
    .description(
      'Run an OAuth 2 authorization-code method for real: print the authorise URL, wait for the redirect on 127.0.0.1, exchange the code, report the token response (redacted).',
    )
    .argument('<connector>', 'connector definition file')
    .requiredOption('-m, --method <id>', 'auth method id')
    .option(
      '--var <key=value>',
      'a connector or auth variable value (repeatable)',
      collectVariable,
      {},
    )
    .option('--open', 'open the authorise URL in the browser')
    .option('--port <port>', 'callback server port on 127.0.0.1', parsePort, DEFAULT_CALLBACK_PORT)
    .option('--wait <seconds>', 'how long to wait for the redirect', parsePort, 300)
    .action(
      async (
        file: string,
        flags: {
          method: string;
          var: Record<string, string>;
          open?: boolean;
          port: number;
          wait: number;
        },
      ) => {
        const controller = new AbortController();
        const onSigint = (): void => controller.abort();
        process.once('SIGINT', onSigint);
        try {
          exitCode = await authTestCommand(
            {
              file: resolve(cwd, file),
              method: flags.method,
              variables: flags.var,
              open: flags.open === true,
              port: flags.port,
              waitSeconds: flags.wait,
              signal: controller.signal,
            },
            output,
          );
        } finally {
          process.off('SIGINT', onSigint);
        }
      },
    );

  program
    .command('demo')
    .description(
      'Run the end-to-end demo on loopback: authorization server, Acme API, OAuth 2 and token instances, gated endpoints, refresh and replay.',
    )
    .option('--browser', 'consent in your browser instead of headlessly')
    .option('--ui', 'start the connector dashboard afterwards and keep running')
    .option(
      '--port <port>',
      'port of the callback server (--browser) or dashboard (--ui)',
      parsePort,
    )
    .addOption(
      new Option('--state-dir <dir>', 'where state persists (default .splice)')
        .env('SPLICE_HOME')
        .default(undefined, '.splice'),
    )
    .option('--connector <file>', 'connector file (default examples/connectors/acme.yaml)')
    .option('--account <name>', 'the Acme account variable', 'northwind')
    .action(
      async (flags: {
        browser?: boolean;
        ui?: boolean;
        port?: number;
        stateDir?: string;
        connector?: string;
        account: string;
      }) => {
        exitCode = await demoCommand(
          {
            browser: flags.browser === true,
            ui: flags.ui === true,
            account: flags.account,
            stateDir: resolve(cwd, flags.stateDir ?? '.splice'),
            ...(flags.port === undefined ? {} : { port: flags.port }),
            ...(flags.connector === undefined
              ? {}
              : { connectorPath: resolve(cwd, flags.connector) }),
            ...(options.startDashboard === undefined
              ? {}
              : { startDashboard: options.startDashboard }),
          },
          output,
        );
      },
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
        ? 0
        : error.exitCode === 0
          ? 2
          : error.exitCode;
    }
    throw error;
  }
}
