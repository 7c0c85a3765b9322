import {
  type AuthStrategy,
  type ConnectorDefinition,
  compileUrlTemplate,
  type DefinitionIssue,
  MemoryStore,
  parseConnector,
  replaceUrlPrefixes,
  requiredVariableKeys,
  resolveAuthMethod,
  resolveValues,
  SECRET_KEY_PATTERN,
  SpliceError,
  scrub,
} from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import {
  type AuthTestContext,
  type AuthTestStep,
  defaultAuthTestSteps,
} from '../authTest/authTestSteps.js';
import { recordingDispatcher } from '../authTest/recordingDispatcher.js';
import { runSteps } from '../authTest/runSteps.js';
import { builtInStrategies } from '../builtInStrategies.js';
import { type CallbackServer, startCallbackServer } from '../callback/startCallbackServer.js';
import { askChoice, isTerminal } from './askChoice.js';
import { DEFAULT_CALLBACK_PORT } from './defaultCallbackPort.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exitCodes.js';
import type { Output } from './Output.js';
import { readVariables } from './readVariables.js';
import { validateConnectorFile } from './validateCommand.js';
import { missingVariables } from './variableUsage.js';

/** Options of {@link authTestCommand}. */
export interface AuthTestOptions {
  /** Connector file (.json, .yaml, .yml). */
  readonly file: string;
  /** Id of the auth method to test. */
  readonly method: string;
  /** Connector, auth and endpoint variable values (`--var key=value`); they win over the rest. */
  readonly variables?: Readonly<Record<string, string>>;
  /** `--var-file`: `key=value` lines or a JSON object; `-` reads standard input. */
  readonly varFile?: string;
  /** Where `SPLICE_VAR_<KEY>` values are read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The endpoint to call; default the first GET endpoint the method enables. */
  readonly endpoint?: string;
  /** Open the authorise URL in the browser. */
  readonly open?: boolean;
  /** Follow the authorise URL's redirects without a browser (a provider profile that consents at once). */
  readonly headless?: boolean;
  /** Callback server port on 127.0.0.1; default {@link DEFAULT_CALLBACK_PORT}. */
  readonly port?: number;
  /** How long to wait for the redirect; default 300 s. */
  readonly waitSeconds?: number;
  /** Print one JSON report on stdout; the authorise URL and progress go to stderr. */
  readonly json?: boolean;
  /** Aborting (Ctrl-C) stops the wait. */
  readonly signal?: AbortSignal;
  /**
   * `--choose <id>` (repeatable): when a post-authorization step offers several choices (Xero
   * organisations, Jira sites), the first of these ids it offers is recorded. Without it a
   * terminal prompts; otherwise (`--json`, no terminal) the test stops listing the choices.
   */
  readonly choose?: readonly string[];
  /**
   * `--replace-url FROM=TO` (repeatable): the definition's URLs equal to FROM or beginning with
   * FROM and `/` or `?` begin with TO instead (`@splice/core`'s `replaceUrlPrefixes`), so a
   * definition written against the real provider runs unedited against a simulator (`splice
   * simulate` prints the pairs) or a sandbox host. The result is validated again.
   */
  readonly replaceUrls?: Readonly<Record<string, string>>;
  /** The steps to run; default {@link defaultAuthTestSteps}. */
  readonly steps?: readonly AuthTestStep[];
}

/**
 * `splice auth test`: the whole life of an instance of one auth method of any type Splice ships,
 * against the real provider, instead of a Postman collection: the consent (browser, or
 * `headless`), the code exchange or credential check, one endpoint call, a forced refresh and a
 * call with the refreshed credentials. Each step is reported as it ends, with its time; a failure
 * shows the provider's OAuth `error`/`error_description`, the real network cause and what to
 * change; a redirect URI the provider does not accept is recognised before the wait. Secrets come
 * from `SPLICE_VAR_<KEY>`, a `--var-file` (or stdin) or `--var`, and are never printed. Returns
 * exit code 0 when no step failed, 1 otherwise.
 *
 * @example
 * ```ts
 * process.exitCode = await authTestCommand(
 *   { file: 'acme.yaml', method: 'acme-oauth', variables: { client_id: 'abc' }, varFile: '-' },
 *   processOutput(),
 * );
 * ```
 */
export async function authTestCommand(options: AuthTestOptions, output: Output): Promise<number> {
  const json = options.json === true;
  const say = (line = ''): void => {
    (json ? output.stderr : output.stdout).write(`${line}\n`);
  };
  const fail = (line: string): number => {
    output.stderr.write(`✖ ${line}\n`);
    return EXIT_FAILED;
  };

  let report: Awaited<ReturnType<typeof validateConnectorFile>>;
  try {
    report = await validateConnectorFile(options.file);
  } catch (error) {
    return fail(`${options.file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (report.connector === undefined) {
    const lines = report.errors.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`);
    return fail(`${options.file} is invalid (run splice validate):\n${lines.join('\n')}`);
  }
  let connector = report.connector;
  const replaceUrls = options.replaceUrls ?? {};
  if (Object.keys(replaceUrls).length > 0) {
    try {
      connector = parseConnector(replaceUrlPrefixes(connector, replaceUrls), {
        source: options.file,
        ...(report.warnings.length === 0 ? { strategies: builtInStrategies() } : {}),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'INVALID_ARGUMENT') {
        // A FROM that matches no URL of the file: a usage mistake (exit 2).
        output.stderr.write(`✖ --replace-url: ${(error as Error).message}\n`);
        return EXIT_USAGE;
      }
      if (!SpliceError.is(error, 'CONNECTOR_INVALID')) throw error;
      const issues = (error.details['issues'] as readonly DefinitionIssue[] | undefined) ?? [];
      const lines = issues.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`);
      return fail(
        `${options.file} is invalid once its URLs are re-pointed by --replace-url:\n${lines.join('\n') || `  ${error.message}`}`,
      );
    }
  }
  const method = connector.authMethods.find((m) => m.id === options.method);
  if (method === undefined) {
    const known = connector.authMethods.map((m) => `${m.id} (${m.type})`).join(', ');
    // -m names no method of the file: a usage mistake (exit 2), not a failed check.
    output.stderr.write(
      `✖ ${connector.id} has no auth method "${options.method}"; it has: ${known}\n`,
    );
    return EXIT_USAGE;
  }
  const strategies = builtInStrategies();
  const strategy = strategies.find((s) => s.type === method.type);
  if (strategy === undefined) {
    return fail(
      `"${method.id}" is of type "${method.type}", which the splice command has no strategy for (it knows ${strategies.map((s) => s.type).join(', ')})`,
    );
  }
  // The method's variables over its strategy's (the runtime's merge), so a refusal lists them
  // as the method declares them (its scope not advanced where the strategy's is).
  const withDefaults = resolveAuthMethod(method, strategy);
  const declared = [
    ...connector.variables,
    ...withDefaults.variables,
    ...connector.endpoints.flatMap((e) => e.variables),
  ];
  let variables: Record<string, string>;
  try {
    variables = await readVariables(
      {
        variables: declared,
        owner: `auth method "${method.id}" of ${connector.id} and its endpoints`,
        env: options.env ?? process.env,
        ...(options.varFile === undefined ? {} : { file: options.varFile }),
        flags: options.variables ?? {},
      },
      output,
    );
  } catch (error) {
    // A malformed --var-file or a key the method does not take: the command line was wrong.
    output.stderr.write(`✖ ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  // A required value missing is a usage error, told before anything runs. The runtime's rule
  // (core's requiredVariableKeys) on the values it would resolve, defaults included; an empty
  // value is none. A strategy's own later check still fails its step (exit 2 as well).
  const resolved = resolveValues([...connector.variables, ...withDefaults.variables], variables);
  const missing = requiredVariableKeys(
    connector.variables,
    withDefaults,
    strategy,
    resolved,
  ).filter((key) => (resolved[key] ?? '') === '');
  if (missing.length > 0) {
    output.stderr.write(
      `✖ ${missingVariables(missing, `auth method "${method.id}" of ${connector.id}`, 'all')}\n`,
    );
    return EXIT_USAGE;
  }
  // Entered values, and the definition's defaults of secret (or secret-looking) variables.
  const secrets = [
    ...Object.values(variables),
    ...[...connector.variables, ...method.variables]
      .filter((v) => v.secret === true || SECRET_KEY_PATTERN.test(v.key))
      .flatMap((v) => (v.default === undefined ? [] : [v.default])),
  ];
  const clean = (text: string): string => scrub(text, secrets);

  const closers: (() => Promise<unknown>)[] = [];
  try {
    let callbackServer: CallbackServer | undefined;
    if (strategy.interactive) {
      const port = options.port ?? DEFAULT_CALLBACK_PORT;
      try {
        callbackServer = await startCallbackServer({ port });
      } catch (error) {
        const inUse = (error as { code?: string }).code === 'EADDRINUSE';
        return fail(
          inUse
            ? `port ${port} on 127.0.0.1 is in use: pass another with --port (and register that redirect URI)`
            : `could not start the callback server: ${String(error)}`,
        );
      }
      const server = callbackServer;
      closers.push(() => server.close());
    }
    const recording = recordingDispatcher(tokenUrlMatcher(connector, method, strategy, variables));
    closers.push(() => recording.close());
    const store = new MemoryStore();
    const tested: ConnectorDefinition = {
      ...connector,
      authMethods: [method],
      endpoints: connector.endpoints
        .filter((endpoint) => endpoint.authMethods.includes(method.id))
        .map((endpoint) => ({ ...endpoint, authMethods: [method.id] })),
    };
    const runtime = createRuntime({
      connectors: [tested],
      strategies,
      store,
      dispatcher: recording.dispatcher,
      ...(callbackServer === undefined ? {} : { callbackUrl: callbackServer.callbackUrl }),
    });
    closers.push(() => runtime.close());
    const redirectUri = variables['callback_url'] ?? callbackServer?.callbackUrl;

    say(`Testing ${connector.name} › ${method.name} (${method.id}, ${method.type})`);
    for (const [from, to] of Object.entries(replaceUrls)) say(`URLs re-pointed: ${from} → ${to}`);
    if (redirectUri !== undefined) {
      say(`Redirect URI: ${redirectUri}  (register it with the provider)`);
    }
    say();
    const ctx: AuthTestContext = {
      connector: tested,
      method,
      strategy,
      runtime,
      store,
      recording,
      ...(callbackServer === undefined ? {} : { callbackServer }),
      ...(redirectUri === undefined ? {} : { redirectUri }),
      variables,
      ...(options.endpoint === undefined ? {} : { endpointId: options.endpoint }),
      open: options.open === true,
      headless: options.headless === true,
      waitSeconds: options.waitSeconds ?? 300,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      output,
      say,
      clean,
      ...(options.choose === undefined || options.choose.length === 0
        ? {}
        : { choose: options.choose }),
      ...(!json && isTerminal(output) ? { ask: (choices) => askChoice(choices, output) } : {}),
    };
    if (
      options.endpoint !== undefined &&
      !tested.endpoints.some((e) => e.id === options.endpoint)
    ) {
      return fail(
        `endpoint "${options.endpoint}" is not enabled for ${method.id}; it enables: ${tested.endpoints.map((e) => e.id).join(', ') || 'none'}`,
      );
    }

    const steps = await runSteps(options.steps ?? defaultAuthTestSteps(method), ctx);
    const ok = steps.every((s) => s.status !== 'failed');
    say();
    const ran = steps.filter((s) => s.status === 'ok' || s.status === 'warning').length;
    say(
      ok
        ? `✔ ${method.id} works: ${ran} of ${steps.length} steps passed${steps.some((s) => s.status === 'warning') ? ' (see the notes above)' : ''}.`
        : `✖ ${method.id} failed at ${steps.find((s) => s.status === 'failed')!.title}.`,
    );
    if (json) {
      output.stdout.write(
        `${JSON.stringify({ ok, connector: connector.id, method: method.id, type: method.type, redirectUri: redirectUri ?? null, steps }, null, 2)}\n`,
      );
    }
    // A value the strategy needs that no `required` flag named: the command line lacked it.
    const missed = steps.some(
      (s) => s.status === 'failed' && s.failure?.code === 'VARIABLE_MISSING',
    );
    return ok ? EXIT_OK : missed ? EXIT_USAGE : EXIT_FAILED;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}

// The token URL of an OAuth 2 method, rendered with the values given, to record its responses.
function tokenUrlMatcher(
  connector: ConnectorDefinition,
  method: ConnectorDefinition['authMethods'][number],
  strategy: AuthStrategy,
  variables: Readonly<Record<string, string>>,
): (url: string) => boolean {
  const template = method.urls['token'];
  if (strategy.type !== 'oauth2-authorization-code' || template === undefined) return () => false;
  const values: Record<string, string> = {};
  for (const variable of [...connector.variables, ...strategy.variables, ...method.variables]) {
    if (variable.default !== undefined) values[variable.key] = variable.default;
  }
  Object.assign(values, variables);
  try {
    const url = new URL(compileUrlTemplate(template, 'urls.token').render(values));
    const prefix = `${url.origin}${url.pathname}`;
    return (candidate) => candidate === prefix || candidate.startsWith(`${prefix}?`);
  } catch {
    return () => false; // a missing value: beginAuthorization reports it with its name
  }
}
