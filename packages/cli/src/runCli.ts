import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DEFAULT_CALLBACK_PORT, DEFAULT_SIMULATOR_PORT } from './commands/defaultCallbackPort.js';
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
  /**
   * Aborting it is Ctrl-C for the commands that wait (`auth test`, `instances reauthorize`,
   * `simulate`): they clean up and return. SIGINT always does the same.
   */
  readonly signal?: AbortSignal;
}

function packageVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

// Every command's help ends with its examples and the exit codes.
function examples(lines: readonly string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n${EXIT_CODES}`;
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

// Runs a command that waits for the user, with a signal Ctrl-C aborts (the command then cleans up
// and reports that it was stopped).
async function untilInterrupted(
  run: (signal: AbortSignal) => Promise<number>,
  outer?: AbortSignal,
): Promise<number> {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  outer?.addEventListener('abort', onSigint, { once: true });
  if (outer?.aborted === true) controller.abort();
  try {
    return await run(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
    outer?.removeEventListener('abort', onSigint);
  }
}

function parsePositive(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) {
    throw new InvalidArgumentError('must be a positive number of seconds');
  }
  return number;
}

// Repeatable `name<separator>value` options, one collector for each shape (they start without a
// default, so --help shows none). Values are never echoed in the error: they may be secrets.
function collectPair(separator: ':' | '=', trim: boolean, shape: string) {
  return (value: string, previous: Record<string, string> = {}): Record<string, string> => {
    const at = value.indexOf(separator);
    if (at <= 0) throw new InvalidArgumentError(`expected ${shape}`);
    const name = value.slice(0, at);
    const rest = value.slice(at + 1);
    return { ...previous, [trim ? name.trim() : name]: trim ? rest.trim() : rest };
  };
}
const collectHeader = collectPair(':', true, 'name:value');
const collectVariable = collectPair('=', false, 'key=value');

// `--replace-url FROM=TO`, repeatable: both sides an absolute http(s) URL (placeholders allowed:
// `https://{{account_id | lower}}.app.netsuite.com`), or a URL template that begins with a
// {{variable}} (`{{accounts_server}}/oauth/v2/token`). Split at the first `=`.
function collectReplaceUrl(
  value: string,
  previous: Record<string, string> = {},
): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError('expected FROM=TO (two URLs)');
  const from = value.slice(0, at);
  const to = value.slice(at + 1);
  for (const [side, url] of [
    ['FROM', from],
    ['TO', to],
  ] as const) {
    if (!isUrlOrTemplate(url)) {
      throw new InvalidArgumentError(
        `${side} must be an absolute http(s) URL or begin with a {{variable}}`,
      );
    }
  }
  if (Object.hasOwn(previous, from)) {
    throw new InvalidArgumentError(
      `${from} is given twice: each FROM may be re-pointed once (remove one --replace-url)`,
    );
  }
  return { ...previous, [from]: to };
}

function collectRedirectUri(value: string, previous: string[] = []): string[] {
  if (!URL.canParse(value) || !['http:', 'https:'].includes(new URL(value).protocol)) {
    throw new InvalidArgumentError('must be an absolute http(s) URL');
  }
  return [...previous, value];
}

function isUrlOrTemplate(value: string): boolean {
  if (/^\{\{[^{}]+\}\}/.test(value)) return true;
  // Placeholders elsewhere (`https://{{account_id | lower}}.app.netsuite.com`) stand for a name.
  const filled = value.replaceAll(/\{\{[^{}]+\}\}/g, 'x');
  if (!URL.canParse(filled)) return false;
  const { protocol } = new URL(filled);
  return protocol === 'http:' || protocol === 'https:';
}

function collectChoice(value: string, previous: string[] = []): string[] {
  return [...previous, value];
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
    .description(
      'Splice: validate connector definitions, test an auth method end to end, call endpoints of saved instances and manage them.',
    )
    .version(options.version ?? packageVersion())
    .exitOverride()
    .showHelpAfterError()
    .addHelpText(
      'after',
      `${examples([
        'splice validate connectors/acme.yaml',
        'splice auth test connectors/acme.yaml -m acme-oauth --open',
        'splice instances list --db splice.db',
        'splice simulate xero',
      ])}`,
    )
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
    .option(
      '--choose <id>',
      'the choice to record when a post-authorization step offers several (repeatable)',
      collectChoice,
    )
    .option(
      '--replace-url <from=to>',
      "re-point the definition's URLs beginning with FROM (then / or ?) at TO, repeatable: a definition written against the real provider, run against a simulator or sandbox (see splice simulate)",
      collectReplaceUrl,
    )
    .option('--json', 'print one JSON report on stdout (the URL and progress go to stderr)')
    .addHelpText(
      'after',
      `
Secrets: SPLICE_VAR_<KEY> (e.g. SPLICE_VAR_CLIENT_SECRET) < --var-file < --var; values are never printed.
${examples([
  'SPLICE_VAR_CLIENT_SECRET=… splice auth test acme.yaml -m acme-oauth --var client_id=abc --open',
  'splice auth test acme.yaml -m acme-oauth --var-file - < secrets.env',
  'splice auth test acme.yaml -m acme-token --var-file secrets.json --endpoint list-orders --json',
  'splice auth test xero.yaml -m xero --open --choose 70784a63-d24b-46a9-a4db-0e70a274b056',
  'splice auth test github.yaml -m github-oauth --headless --replace-url https://github.com/login/oauth/authorize=http://127.0.0.1:8977/authorize …',
])}`,
    )
    .action(
      async (
        file: string,
        flags: {
          method: string;
          var?: Record<string, string>;
          varFile?: string;
          endpoint?: string;
          open?: boolean;
          headless?: boolean;
          port: number;
          wait: number;
          choose?: string[];
          replaceUrl?: Record<string, string>;
          json?: boolean;
        },
      ) => {
        exitCode = await untilInterrupted(async (signal) => {
          const { authTestCommand } = await import('./commands/authTestCommand.js');
          return authTestCommand(
            {
              file: resolve(cwd, file),
              method: flags.method,
              variables: flags.var ?? {},
              ...(flags.varFile === undefined
                ? {}
                : { varFile: flags.varFile === '-' ? '-' : resolve(cwd, flags.varFile) }),
              ...(flags.endpoint === undefined ? {} : { endpoint: flags.endpoint }),
              ...(options.env === undefined ? {} : { env: options.env }),
              open: flags.open === true,
              headless: flags.headless === true,
              port: flags.port,
              waitSeconds: flags.wait,
              ...(flags.choose === undefined ? {} : { choose: flags.choose }),
              ...(flags.replaceUrl === undefined ? {} : { replaceUrls: flags.replaceUrl }),
              json: flags.json === true,
              signal,
            },
            output,
          );
        }, options.signal);
      },
    );

  program
    .command('simulate')
    .description(
      "Start a provider profile of @splice/testkit's simulator on 127.0.0.1 and print what a definition needs to run against it: URLs, client id and secret, the redirect URI, the --replace-url pairs and the splice auth test command. Runs until Ctrl-C. Needs @splice/testkit installed (an optional peer dependency).",
    )
    .argument('[profile]', 'the provider profile (see --list)')
    .option('--list', 'print the profiles')
    .option(
      '--port <port>',
      `port on 127.0.0.1 (0: any free port)`,
      parsePort,
      DEFAULT_SIMULATOR_PORT,
    )
    .option(
      '--redirect-uri <uri>',
      `another redirect URI the simulator accepts, repeatable (http://127.0.0.1:${DEFAULT_CALLBACK_PORT}/callback, splice auth test's, always is)`,
      collectRedirectUri,
    )
    .option(
      '--definition <file>',
      'the definition the printed command tests (default: the built-in one, when @splice/connectors is installed)',
    )
    .option(
      '--quirk <name=json>',
      "set a quirk of the simulator over the profile's, its value as JSON (a string quoted: denyAuthorization='\"access_denied\"'), repeatable; the names are SimulatorQuirks of @splice/testkit",
      collectVariable,
    )
    .option('--json', 'print one JSON object on one line (for scripts)')
    .addHelpText(
      'after',
      examples([
        'splice simulate --list',
        'splice simulate xero',
        'splice simulate zoho --definition connectors/my-zoho.yaml --port 0 --json',
        `splice simulate xero --quirk 'tokenExtras={"expires_in":null}'`,
      ]),
    )
    .action(
      async (
        profile: string | undefined,
        flags: {
          list?: boolean;
          port: number;
          redirectUri?: string[];
          definition?: string;
          quirk?: Record<string, string>;
          json?: boolean;
        },
      ) => {
        exitCode = await untilInterrupted(async (signal) => {
          const { simulateCommand } = await import('./commands/simulateCommand.js');
          return simulateCommand(
            {
              ...(profile === undefined ? {} : { profile }),
              list: flags.list === true,
              port: flags.port,
              ...(flags.redirectUri === undefined ? {} : { redirectUris: flags.redirectUri }),
              ...(flags.definition === undefined
                ? {}
                : { definition: resolve(cwd, flags.definition) }),
              ...(flags.quirk === undefined ? {} : { quirks: flags.quirk }),
              json: flags.json === true,
              signal,
            },
            output,
          );
        }, options.signal);
      },
    );

  const env = options.env ?? process.env;
  const resolvePath = (path: string): string => resolve(cwd, path);
  // --db and --connector of the commands on saved instances.
  const storeOptions = (command: Command): Command =>
    command
      .option('--db <file>', 'SQLite store of the instances (default: $SPLICE_DB)')
      .option(
        '-c, --connector <file>',
        'a connector definition the instances use, repeatable (default: $SPLICE_CONNECTORS)',
        (value: string, previous: string[]) => [...previous, value],
        [] as string[],
      );
  const source = (flags: { db?: string; connector: string[] }) => ({
    ...(flags.db === undefined ? {} : { db: flags.db }),
    connectors: flags.connector,
    env,
    resolve: resolvePath,
  });
  const STORE_HELP = `
Store: --db or SPLICE_DB (a @splice/store-sqlite file); SPLICE_KEY=<id>:<base64 key>[,…] when it
is encrypted (the first key encrypts, all decrypt); connectors: --connector or SPLICE_CONNECTORS.
`;

  storeOptions(
    program
      .command('call')
      .description(
        'Call one endpoint of a saved instance and print status, headers and body, secrets masked.',
      )
      .argument('<instance>', 'instance id (see splice instances list)')
      .argument('<endpoint>', 'endpoint id'),
  )
    .option('--var <key=value>', 'an endpoint variable value, repeatable', collectVariable)
    .option('--query <key=value>', 'a URL parameter, repeatable', collectVariable)
    .option('-H, --header <name:value>', 'a request header, repeatable', collectHeader)
    .option('--body <json>', 'a JSON body, or @file')
    .option('--json', 'print { status, headers, body } as JSON')
    .addHelpText(
      'after',
      `${STORE_HELP}${examples([
        'splice call inst_8f2 list-orders --db splice.db -c acme.yaml --var status=open',
        'SPLICE_DB=splice.db SPLICE_CONNECTORS=acme.yaml splice call inst_8f2 create-order --body @order.json',
      ])}`,
    )
    .action(
      async (
        instance: string,
        endpoint: string,
        flags: {
          db?: string;
          connector: string[];
          var?: Record<string, string>;
          query?: Record<string, string>;
          header?: Record<string, string>;
          body?: string;
          json?: boolean;
        },
      ) => {
        const { callCommand } = await import('./commands/callCommand.js');
        exitCode = await callCommand(
          {
            ...source(flags),
            instance,
            endpoint,
            ...(flags.var === undefined ? {} : { variables: flags.var }),
            ...(flags.query === undefined ? {} : { query: flags.query }),
            ...(flags.header === undefined ? {} : { headers: flags.header }),
            ...(flags.body === undefined ? {} : { body: flags.body }),
            json: flags.json === true,
          },
          output,
        );
      },
    );

  const instances = program
    .command('instances')
    .description('List, show, rename, delete and re-authorize saved instances.')
    .addHelpText('after', `${STORE_HELP}${examples(['splice instances list --db splice.db'])}`);
  storeOptions(instances.command('list').description('Every saved instance, oldest first.'))
    .option('--json', 'print the instances as JSON (secret values redacted)')
    .addHelpText('after', examples(['splice instances list --db splice.db --json']))
    .action(async (flags: { db?: string; connector: string[]; json?: boolean }) => {
      const { listInstances } = await import('./commands/instancesCommand.js');
      exitCode = await listInstances({ ...source(flags), json: flags.json === true }, output);
    });
  storeOptions(
    instances
      .command('show')
      .description('One instance: values (secrets redacted), token status, endpoints.')
      .argument('<id>', 'instance id'),
  )
    .option('--json', 'print it as JSON')
    .addHelpText('after', examples(['splice instances show inst_8f2 --db splice.db -c acme.yaml']))
    .action(async (id: string, flags: { db?: string; connector: string[]; json?: boolean }) => {
      const { showInstance } = await import('./commands/instancesCommand.js');
      exitCode = await showInstance({ ...source(flags), json: flags.json === true }, id, output);
    });
  storeOptions(
    instances
      .command('rename')
      .description('Give an instance a new display name.')
      .argument('<id>', 'instance id')
      .argument('<name>', 'the new name'),
  )
    .addHelpText(
      'after',
      examples(['splice instances rename inst_8f2 "Acme production" --db splice.db -c acme.yaml']),
    )
    .action(async (id: string, name: string, flags: { db?: string; connector: string[] }) => {
      const { renameInstance } = await import('./commands/instancesCommand.js');
      exitCode = await renameInstance(source(flags), id, name, output);
    });
  storeOptions(
    instances
      .command('delete')
      .description('Delete an instance and its credentials.')
      .argument('<id>', 'instance id'),
  )
    .addHelpText('after', examples(['splice instances delete inst_8f2 --db splice.db']))
    .action(async (id: string, flags: { db?: string; connector: string[] }) => {
      const { deleteInstance } = await import('./commands/instancesCommand.js');
      exitCode = await deleteInstance(source(flags), id, output);
    });
  storeOptions(
    instances
      .command('reauthorize')
      .description('A new consent for an instance (same id and name, new credentials).')
      .argument('<id>', 'instance id'),
  )
    .option('--var <key=value>', 'a changed value for the consent (e.g. scope)', collectVariable)
    .option('--open', 'open the authorise URL in the browser')
    .option('--headless', 'follow the authorise URL without a browser')
    .option('--port <port>', 'callback server port on 127.0.0.1', parsePort, DEFAULT_CALLBACK_PORT)
    .option('--wait <seconds>', 'how long to wait for the redirect', parsePositive, 300)
    .option(
      '--choose <id>',
      'the choice to record when a post-authorization step offers several (repeatable)',
      collectChoice,
    )
    .addHelpText(
      'after',
      examples(['splice instances reauthorize inst_8f2 --db splice.db -c acme.yaml --open']),
    )
    .action(
      async (
        id: string,
        flags: {
          db?: string;
          connector: string[];
          var?: Record<string, string>;
          open?: boolean;
          headless?: boolean;
          port: number;
          wait: number;
          choose?: string[];
        },
      ) => {
        exitCode = await untilInterrupted(async (signal) => {
          const { reauthorizeInstance } = await import('./commands/instancesCommand.js');
          return reauthorizeInstance(
            source(flags),
            id,
            {
              ...(flags.var === undefined ? {} : { variables: flags.var }),
              open: flags.open === true,
              headless: flags.headless === true,
              port: flags.port,
              waitSeconds: flags.wait,
              ...(flags.choose === undefined ? {} : { choose: flags.choose }),
              signal,
            },
            output,
          );
        }, options.signal);
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
