import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DEFAULT_CALLBACK_PORT } from './commands/defaultCallbackPort.js';
import { EXIT_USAGE } from './commands/exitCodes.js';
import { type Output, processOutput } from './commands/Output.js';

/** Options of {@link runCli}. */
export interface CliOptions {
  readonly output?: Output;
  /** Directory relative paths are resolved against; default the working directory. */
  readonly cwd?: string;
  /** What `--version` prints; default the version in this package's `package.json`. */
  readonly version?: string;
  /** Where `SPLICE_VAR_<KEY>`, `SPLICE_DB` and `SPLICE_KEY` are read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

const EXIT_CODES = `
Exit codes:
  0  done (valid, authorized, a 2xx answer)
  1  a check failed (invalid definition, refused authorization, an error status, not found)
  2  usage error (unknown command or option, missing argument, bad value)
`;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError('must be a port number (0-65535)');
  }
  return port;
}

function parsePositive(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError('must be a positive number of seconds');
  }
  return number;
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
 * process.exitCode = await runCli(['validate', 'connectors/acme.yaml']);
 * ```
 */
export async function runCli(argv: readonly string[], options: CliOptions = {}): Promise<number> {
  const output = options.output ?? processOutput();
  const cwd = options.cwd ?? process.cwd();
  let exitCode = 0;
  const program = new Command('splice')
    .description('Splice: validate connector definitions, test an auth method.')
    .version(options.version ?? packageVersion())
    .exitOverride()
    .showHelpAfterError()
    .addHelpText('after', EXIT_CODES)
    .configureOutput({
      writeOut: (text) => output.stdout.write(text),
      writeErr: (text) => output.stderr.write(text),
    });

  program
    .command('validate')
    .description(
      'Check connector definitions (.json, .yaml, .yml): every problem with its path and a did-you-mean.',
    )
    .argument('<file...>', 'connector definition files')
    .option('--json', 'print one JSON document { valid, files } on stdout')
    .addHelpText(
      'after',
      examples([
        'splice validate connectors/acme.yaml',
        'splice validate connectors/*.yaml --json',
      ]),
    )
    .action(async (files: string[], flags: { json?: boolean }) => {
      // Commands load what they need when they run, so --help and --version stay fast.
      const { validateCommand } = await import('./commands/validateCommand.js');
      exitCode = await validateCommand(
        files.map((file) => resolve(cwd, file)),
        output,
        { json: flags.json === true },
      );
    });

  const auth = program
    .command('auth')
    .description('Work with authentication methods.')
    .addHelpText('after', examples(['splice auth test connectors/acme.yaml -m acme-oauth --open']));
  auth
    .command('test')
    .description(
      'Run the whole life of an instance of an auth method against the real provider: consent, exchange (or credential check), one endpoint call, a forced refresh and a call with the refreshed token; each step timed.',
    )
    .argument('<connector>', 'connector definition file')
    .requiredOption('-m, --method <id>', 'auth method id (any type Splice ships)')
    .option(
      '--var <key=value>',
      'a variable value, repeatable; prefer SPLICE_VAR_<KEY> or --var-file for secrets',
      collectVariable,
      {},
    )
    .option('--var-file <path>', 'key=value lines or a JSON object of values; "-" reads stdin')
    .option('-e, --endpoint <id>', 'the endpoint to call (default: the first GET it enables)')
    .option('--open', 'open the authorise URL in the browser')
    .option(
      '--headless',
      'follow the authorise URL without a browser (a profile that consents at once)',
    )
    .option('--port <port>', 'callback server port on 127.0.0.1', parsePort, DEFAULT_CALLBACK_PORT)
    .option('--wait <seconds>', 'how long to wait for the redirect', parsePositive, 300)
    .option('--json', 'print one JSON report on stdout (the URL and progress go to stderr)')
    .addHelpText(
      'after',
      `
Secrets: SPLICE_VAR_<KEY> (e.g. SPLICE_VAR_CLIENT_SECRET) < --var-file < --var; values are never printed.
${examples([
  'SPLICE_VAR_CLIENT_SECRET=… splice auth test acme.yaml -m acme-oauth --var client_id=abc --open',
  'splice auth test acme.yaml -m acme-oauth --var-file - < secrets.env',
  'splice auth test acme.yaml -m acme-token --var-file secrets.json --endpoint list-orders --json',
])}`,
    )
    .action(
      async (
        file: string,
        flags: {
          method: string;
          var: Record<string, string>;
          varFile?: string;
          endpoint?: string;
          open?: boolean;
          headless?: boolean;
          port: number;
          wait: number;
          json?: boolean;
        },
      ) => {
        const controller = new AbortController();
        const onSigint = (): void => controller.abort();
        process.once('SIGINT', onSigint);
        try {
          const { authTestCommand } = await import('./commands/authTestCommand.js');
          exitCode = await authTestCommand(
            {
              file: resolve(cwd, file),
              method: flags.method,
              variables: flags.var,
              ...(flags.varFile === undefined
                ? {}
                : { varFile: flags.varFile === '-' ? '-' : resolve(cwd, flags.varFile) }),
              ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
              ...(options.env === undefined ? {} : { env: options.env }),
              open: flags.open === true,
              headless: flags.headless === true,
              port: flags.port,
              waitSeconds: flags.wait,
              json: flags.json === true,
              signal: controller.signal,
            },
            output,
          );
        } finally {
          process.off('SIGINT', onSigint);
        }
      },
    );

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version succeed; a bare `splice` or `splice auth` printed the help because
      // a command was missing: a usage error.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version'
        ? 0
        : EXIT_USAGE;
    }
    throw error;
  }
}
