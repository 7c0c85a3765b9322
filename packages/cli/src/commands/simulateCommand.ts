import { jsonParseProblem, nearestName } from '@splice/core';
import { DEFAULT_CALLBACK_PORT, DEFAULT_SIMULATOR_PORT } from './defaultCallbackPort.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exitCodes.js';
import type { Output } from './Output.js';
import { validateConnectorFile } from './validateCommand.js';

/** What `splice simulate` uses of a provider profile of `@splice/testkit`. */
export interface SimulatorProfile {
  readonly name: string;
  readonly documentationUrl: string;
  /** The quirks the profile switches, given the running simulator's `issuer`. */
  quirks(issuer: string): Readonly<Record<string, unknown>>;
  replaceUrls(sim: RunningSimulator): Readonly<Record<string, string>>;
  readonly sampleVariables?: Readonly<Record<string, string>>;
  readonly sampleChoices?: readonly string[];
}

/** What `splice simulate` uses of a running provider simulator of `@splice/testkit`. */
export interface RunningSimulator {
  readonly issuer: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly apiUrl: string;
  readonly discoveryUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Every quirk in effect, by name. */
  readonly quirks: Readonly<Record<string, unknown>>;
  close(): Promise<void>;
}

/** The part of `@splice/testkit` that `splice simulate` loads (an optional peer dependency). */
export interface SimulatorKit {
  readonly providerProfiles: Readonly<Record<string, SimulatorProfile>>;
  /** Every quirk's default, by name: the one list of the quirk names. */
  readonly DEFAULT_SIMULATOR_QUIRKS: Readonly<Record<string, unknown>>;
  startProviderProfile(
    profile: never,
    options: {
      readonly redirectUris?: readonly string[];
      readonly port?: number;
      readonly quirks?: Readonly<Record<string, unknown>>;
    },
  ): Promise<RunningSimulator>;
}

/** Options of {@link simulateCommand}. */
export interface SimulateOptions {
  /** The profile to start (a `providerProfiles` name of `@splice/testkit`); omit with `list`. */
  readonly profile?: string;
  /** Print the profile names instead of starting one. */
  readonly list?: boolean;
  /** Port on 127.0.0.1; default {@link DEFAULT_SIMULATOR_PORT}; `0` takes any free port. */
  readonly port?: number;
  /**
   * Redirect URIs the simulator accepts besides `http://127.0.0.1:8976/callback`, the one
   * `splice auth test` listens on by default (always accepted, so the printed command runs).
   */
  readonly redirectUris?: readonly string[];
  /**
   * The definition the printed `splice auth test` command tests: the author's own file; default
   * the built-in one of `@splice/connectors` when that package is installed.
   */
  readonly definition?: string;
  /**
   * Quirks set over the profile's (`--quirk name=json`): the JSON text of each value by quirk
   * name (`SimulatorQuirks` of `@splice/testkit`). Each replaces the profile's whole value of that
   * quirk, as `startProviderProfile` merges them; an unknown name or a text that is not JSON
   * returns 2.
   */
  readonly quirks?: Readonly<Record<string, string>>;
  /** Print one JSON object on one line instead of the text. */
  readonly json?: boolean;
  /** Aborting (Ctrl-C) stops the simulator; the command then returns 0. */
  readonly signal?: AbortSignal;
  /** Loads `@splice/testkit`; default a dynamic `import()` (replaced in tests). */
  readonly loadKit?: () => Promise<SimulatorKit>;
  /** The built-in definition file of a connector, or undefined; default `@splice/connectors`'. */
  readonly builtInFile?: (name: string) => Promise<string | undefined>;
}

/**
 * What `splice simulate --json` prints (one line), and what the text shows: the simulator's URLs
 * and client (its `clientSecret` is made up by the local process and guards nothing else), and:
 */
export interface SimulatorDescription extends Omit<RunningSimulator, 'close'> {
  readonly profile: string;
  readonly documentationUrl: string;
  readonly redirectUris: readonly string[];
  /** `--replace-url` pairs: the provider's URL prefixes and their simulator counterparts. */
  readonly replaceUrls: Readonly<Record<string, string>>;
  /**
   * The quirks switched from the simulator's defaults, as the running simulator holds them: the
   * profile's, with `--quirk` values over them (one switched to `undefined` is left out).
   */
  readonly quirks: Readonly<Record<string, unknown>>;
  /** Variables the connector needs besides the client credentials (the profile's samples). */
  readonly variables: Readonly<Record<string, string>>;
  /** The `splice auth test` run against this simulator. */
  readonly authTest: {
    /** The definition file, or null when none is known (pass --definition). */
    readonly definition: string | null;
    /** The OAuth 2 method tested, or null when no definition is known. */
    readonly method: string | null;
    /** The arguments after `splice`. */
    readonly argv: readonly string[];
    /** The environment the command reads the client secret from. */
    readonly env: Readonly<Record<string, string>>;
    /** The whole command line, for a shell. */
    readonly command: string;
  };
}

const INSTALL_HINT =
  'splice simulate needs @splice/testkit, an optional peer dependency of @splice/cli: install it next to the CLI (npm install --save-dev @splice/testkit, or npm install -g @splice/testkit with a global splice)';

// Dynamic imports the bundle keeps external (scripts/bundle.js): neither package is a
// dependency of the CLI.
const importKit = async (): Promise<SimulatorKit> =>
  (await import('@splice/testkit')) as unknown as SimulatorKit;

async function importBuiltInFile(name: string): Promise<string | undefined> {
  try {
    const specifier = '@splice/connectors';
    const connectors = (await import(specifier)) as {
      CONNECTOR_NAMES: readonly string[];
      connectorFile(name: string): string;
    };
    return connectors.CONNECTOR_NAMES.includes(name) ? connectors.connectorFile(name) : undefined;
  } catch {
    return undefined;
  }
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}

// Single-quotes a shell word unless it is made of characters no shell treats specially.
function shellWord(word: string): string {
  return /^[\w./:=@%+,-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * `splice simulate <profile>`: starts a provider profile of `@splice/testkit`'s simulator on
 * 127.0.0.1 (the provider's token answer, expiry and rotation, callback extras, discovery and
 * error dialects, as its documentation describes them), prints its URLs, client id and secret,
 * the redirect URI it accepts, the `--replace-url` pairs that aim a definition written against the
 * real provider at it, and the exact `splice auth test` command to run against it; then runs
 * until Ctrl-C (`signal`) and returns 0. `list` prints the profile names. `@splice/testkit` is an
 * optional peer dependency loaded only here: when it is missing the command says what to install
 * and returns 2, as for an unknown profile or a port in use (1 for an invalid `definition`).
 *
 * @example
 * ```ts
 * const code = await simulateCommand({ profile: 'xero', port: 0, signal }, processOutput());
 * ```
 */
export async function simulateCommand(options: SimulateOptions, output: Output): Promise<number> {
  const usage = (line: string): number => {
    output.stderr.write(`✖ ${line}\n`);
    return EXIT_USAGE;
  };
  let kit: SimulatorKit;
  try {
    kit = await (options.loadKit ?? importKit)();
  } catch (error) {
    if (!isModuleNotFound(error)) throw error;
    const cause = String((error as Error).message).split('\n')[0];
    return usage(`${INSTALL_HINT}\n  (${cause})`);
  }
  const names = Object.keys(kit.providerProfiles);
  if (options.list === true) {
    const rows = names.map((name) => ({
      name,
      documentationUrl: kit.providerProfiles[name]!.documentationUrl,
    }));
    if (options.json === true) {
      output.stdout.write(`${JSON.stringify({ profiles: rows })}\n`);
    } else {
      const width = Math.max(...names.map((n) => n.length));
      for (const row of rows) {
        output.stdout.write(`${row.name.padEnd(width)}  ${row.documentationUrl}\n`);
      }
    }
    return EXIT_OK;
  }
  if (options.profile === undefined) {
    return usage(`name a profile (${names.join(', ')}) or pass --list`);
  }
  const profile = Object.hasOwn(kit.providerProfiles, options.profile)
    ? kit.providerProfiles[options.profile]
    : undefined;
  if (profile === undefined) {
    const near = nearestName(options.profile, names);
    return usage(
      `no profile "${options.profile}"${near === undefined ? '' : ` (did you mean "${near}"?)`}; the profiles are: ${names.join(', ')}`,
    );
  }

  // An @splice/testkit older than the CLI has no list of quirks: it runs without --quirk.
  const known = kit.DEFAULT_SIMULATOR_QUIRKS as Readonly<Record<string, unknown>> | undefined;
  if (known === undefined && Object.keys(options.quirks ?? {}).length > 0) {
    return usage(
      '--quirk needs the @splice/testkit of this splice (the installed one lists no quirks): install the same version as @splice/cli',
    );
  }
  const quirkNames = Object.keys(known ?? {});
  const quirks: Record<string, unknown> = {};
  for (const [name, json] of Object.entries(options.quirks ?? {})) {
    if (!quirkNames.includes(name)) {
      const near = nearestName(name, quirkNames);
      return usage(
        `--quirk: no quirk "${name}"${near === undefined ? '' : ` (did you mean "${near}"?)`}; the quirks are: ${quirkNames.join(', ')} (what each does: the quirk table of @splice/testkit's README)`,
      );
    }
    try {
      quirks[name] = JSON.parse(json);
    } catch (error) {
      return usage(
        `--quirk ${name}: the value is not JSON (${jsonParseProblem(error)}); quote a string as JSON: ${name}='"text"'`,
      );
    }
  }

  const definition =
    options.definition ?? (await (options.builtInFile ?? importBuiltInFile)(profile.name));
  let method: string | undefined;
  if (definition !== undefined) {
    let report: Awaited<ReturnType<typeof validateConnectorFile>>;
    try {
      report = await validateConnectorFile(definition);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') {
        return usage(`--definition ${definition}: no such file`);
      }
      output.stderr.write(`✖ ${definition}: ${(error as Error).message}\n`);
      return EXIT_FAILED;
    }
    if (report.connector === undefined) {
      output.stderr.write(`✖ ${definition} is invalid (run splice validate ${definition})\n`);
      return EXIT_FAILED;
    }
    method = report.connector.authMethods.find((m) => m.type === 'oauth2-authorization-code')?.id;
    if (method === undefined) {
      output.stderr.write(
        `✖ ${definition} has no oauth2-authorization-code method, which the simulator serves\n`,
      );
      return EXIT_FAILED;
    }
  }

  // `splice auth test`'s own redirect URI is always accepted, so the printed command runs as
  // printed; --redirect-uri adds others (the dashboard's).
  const redirectUris = [
    ...new Set([
      ...(options.redirectUris ?? []),
      `http://127.0.0.1:${DEFAULT_CALLBACK_PORT}/callback`,
    ]),
  ];
  const port = options.port ?? DEFAULT_SIMULATOR_PORT;
  const callbackPort = authTestCallbackPort(redirectUris);
  if (String(port) === callbackPort) {
    return usage(
      `port ${port} is where the printed splice auth test command listens for the redirect: pass another with --port (0: any)`,
    );
  }
  let sim: RunningSimulator;
  try {
    sim = await kit.startProviderProfile(profile as never, { redirectUris, port, quirks });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      return usage(`port ${port} on 127.0.0.1 is in use: pass another with --port (0: any)`);
    }
    throw error;
  }
  try {
    const description = describe(
      profile,
      sim,
      redirectUris,
      callbackPort,
      definition,
      method,
      Object.keys(quirks),
    );
    if (options.json === true) {
      output.stdout.write(`${JSON.stringify(description)}\n`);
    } else {
      output.stdout.write(text(description, quirks));
    }
    await new Promise<void>((resolve) => {
      if (options.signal === undefined) return; // runs until the process ends
      if (options.signal.aborted) resolve();
      else options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (options.json !== true) output.stdout.write('Simulator stopped.\n');
    return EXIT_OK;
  } finally {
    await sim.close();
  }
}

/** The port of the first redirect URI `splice auth test` can listen on (127.0.0.1, /callback). */
function authTestCallbackPort(redirectUris: readonly string[]): string | undefined {
  return redirectUris
    .map((uri) => (URL.canParse(uri) ? new URL(uri) : undefined))
    .find((url) => url?.hostname === '127.0.0.1' && url.pathname === '/callback' && url.port)?.port;
}

function describe(
  profile: SimulatorProfile,
  sim: RunningSimulator,
  redirectUris: readonly string[],
  callbackPort: string | undefined,
  definition: string | undefined,
  method: string | undefined,
  quirkNames: readonly string[],
): SimulatorDescription {
  const replaceUrls = profile.replaceUrls(sim);
  // What the profile switched and what --quirk did, as the running simulator now holds them.
  const switched = new Set([...Object.keys(profile.quirks(sim.issuer)), ...quirkNames]);
  const quirks = Object.fromEntries([...switched].map((name) => [name, sim.quirks[name]]));
  const variables = profile.sampleVariables ?? {};
  const argv = [
    'auth',
    'test',
    definition ?? '<definition.yaml>',
    '-m',
    method ?? '<method-id>',
    '--headless',
    ...(callbackPort === undefined ? [] : ['--port', callbackPort]),
    ...Object.entries(replaceUrls).flatMap(([from, to]) => ['--replace-url', `${from}=${to}`]),
    '--var',
    `client_id=${sim.clientId}`,
    ...Object.entries(variables).flatMap(([key, value]) => ['--var', `${key}=${value}`]),
    ...(profile.sampleChoices ?? []).flatMap((id) => ['--choose', id]),
  ];
  const env = { SPLICE_VAR_CLIENT_SECRET: sim.clientSecret };
  const command = [
    ...Object.entries(env).map(([key, value]) => `${key}=${shellWord(value)}`),
    'splice',
    ...argv.map(shellWord),
  ].join(' ');
  return {
    profile: profile.name,
    documentationUrl: profile.documentationUrl,
    issuer: sim.issuer,
    authorizationUrl: sim.authorizationUrl,
    tokenUrl: sim.tokenUrl,
    apiUrl: sim.apiUrl,
    discoveryUrl: sim.discoveryUrl,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    redirectUris,
    replaceUrls,
    quirks,
    variables,
    authTest: {
      definition: definition ?? null,
      method: method ?? null,
      argv,
      env,
      command,
    },
  };
}

// `overrides`: the --quirk values, shown as the running simulator holds them.
function text(d: SimulatorDescription, overrides: Readonly<Record<string, unknown>>): string {
  const width = Math.max(...Object.keys(d.replaceUrls).map((from) => from.length));
  const lines = [
    `Simulating ${d.profile} at ${d.issuer} (as ${d.documentationUrl} describes it)`,
    '',
    `  authorize URL   ${d.authorizationUrl}`,
    `  token URL       ${d.tokenUrl}`,
    `  API URL         ${d.apiUrl}`,
    `  discovery URL   ${d.discoveryUrl}`,
    `  client_id       ${d.clientId}`,
    `  client_secret   ${d.clientSecret}  (made up by this simulator)`,
    `  redirect URI    ${d.redirectUris.join(', ')}  (the only one${d.redirectUris.length > 1 ? 's' : ''} it accepts)`,
    ...Object.entries(d.variables).map(([key, value]) => `  ${key.padEnd(15)} ${value}  (sample)`),
    ...Object.keys(overrides).map(
      (name) => `  --quirk         ${name}=${JSON.stringify(d.quirks[name]) ?? 'undefined'}`,
    ),
    '',
    'Provider URLs and where they point here (--replace-url, loadBuiltInConnector replaceUrls):',
    ...Object.entries(d.replaceUrls).map(([from, to]) => `  ${from.padEnd(width)}  →  ${to}`),
    '',
    d.authTest.definition === null
      ? 'Test a definition against it (@splice/connectors is not installed: name your file, or pass --definition):'
      : 'Test the definition against it:',
    `  ${d.authTest.command}`,
    '',
    'Ctrl-C stops the simulator.',
    '',
  ];
  return `${lines.join('\n')}\n`;
}
