import {
  type AuthMethodDefinition,
  type ConnectorDefinition,
  compileUrlTemplate,
  SECRET_KEY_PATTERN,
  SpliceError,
  scrub,
} from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { readPath } from '@splice/oauth2-authcode';
import { leafPaths, parseTokenResponse, redactedShape } from '../authTest/describeTokenResponse.js';
import { openInBrowser } from '../authTest/openInBrowser.js';
import {
  type RecordedExchange,
  startTokenRecorder,
  type TokenRecorder,
} from '../authTest/startTokenRecorder.js';
import { builtInStrategies } from '../builtInStrategies.js';
import { type CallbackServer, startCallbackServer } from '../callback/startCallbackServer.js';
import { DEFAULT_CALLBACK_PORT } from './defaultCallbackPort.js';
import type { Output } from './Output.js';
import { validateConnectorFile } from './validateCommand.js';

/** Options of {@link authTestCommand}. */
export interface AuthTestOptions {
  /** Connector file (.json, .yaml, .yml). */
  readonly file: string;
  /** Id of the auth method to test. */
  readonly method: string;
  /** Connector and auth variable values (`--var key=value`). */
  readonly variables?: Readonly<Record<string, string>>;
  /** Open the authorise URL in the browser. */
  readonly open?: boolean;
  /** Callback server port on 127.0.0.1; default {@link DEFAULT_CALLBACK_PORT}. */
  readonly port?: number;
  /** How long to wait for the redirect; default 300 s. */
  readonly waitSeconds?: number;
  /** Aborting (Ctrl-C) stops the wait. */
  readonly signal?: AbortSignal;
}

const OAUTH2 = 'oauth2-authorization-code';
// An OAuth error answer's fields (RFC 6749 §5.2): shown as sent, never treated as secrets.
const OAUTH_ERROR_FIELDS: ReadonlySet<string> = new Set([
  'error',
  'error_description',
  'error_uri',
]);

/**
 * `splice auth test`: tests one OAuth 2 authorization-code method of a connector the way the
 * runtime will use it, instead of a Postman collection. Starts a callback server on 127.0.0.1,
 * prints (and with `open` opens) the authorise URL, waits for the provider's redirect, lets the
 * real strategy exchange the code, then reports the token response's shape with every value
 * redacted, whether each configured response key (token, refresh token, expiry) was found, and
 * what to change when not. Returns the exit code: 0 when an instance could be added.
 *
 * @example
 * ```ts
 * process.exitCode = await authTestCommand(
 *   { file: 'acme.yaml', method: 'acme-oauth', variables: { client_id: 'abc', client_secret } },
 *   processOutput(),
 * );
 * ```
 */
export async function authTestCommand(options: AuthTestOptions, output: Output): Promise<number> {
  const say = (line = ''): void => {
    output.stdout.write(`${line}\n`);
  };
  const fail = (line: string): number => {
    output.stderr.write(`✖ ${line}\n`);
    return 1;
  };
  const variables = { ...options.variables };
  // Entered values, and the definition's defaults of secret (or secret-looking) variables.
  let secretDefaults: string[] = [];
  const secrets = (): string[] => [...Object.values(variables), ...secretDefaults];

  let report: Awaited<ReturnType<typeof validateConnectorFile>>;
  try {
    report = await validateConnectorFile(options.file);
  } catch (error) {
    return fail(`${options.file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const { connector } = report;
  if (connector === undefined) {
    const lines = report.errors.map((issue) => `  ${issue.path || '(root)'}: ${issue.message}`);
    return fail(`${options.file} is invalid (run splice validate):\n${lines.join('\n')}`);
  }
  const method = connector.authMethods.find((m) => m.id === options.method);
  if (method === undefined) {
    const known = connector.authMethods.map((m) => `${m.id} (${m.type})`).join(', ');
    return fail(`${connector.id} has no auth method "${options.method}"; it has: ${known}`);
  }
  secretDefaults = [...connector.variables, ...method.variables]
    .filter((v) => v.secret === true || SECRET_KEY_PATTERN.test(v.key))
    .flatMap((v) => (v.default === undefined ? [] : [v.default]));
  if (method.type !== OAUTH2) {
    return fail(
      `auth test drives ${OAUTH2} methods (a consent in the browser); "${method.id}" is of type "${method.type}"`,
    );
  }
  const valueFor = (key: string): string | undefined =>
    variables[key] ??
    method.variables.find((v) => v.key === key)?.default ??
    connector.variables.find((v) => v.key === key)?.default;

  let callbackServer: CallbackServer;
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
  const closers: (() => Promise<unknown>)[] = [() => callbackServer.close()];
  try {
    // The real strategy sends the exchange; a recorder in front of the token URL's origin lets the
    // command see the raw response, which the strategy keeps to itself.
    let exchanges: readonly RecordedExchange[] = [];
    let testedMethod: AuthMethodDefinition = method;
    const recording = await recordTokenUrl(connector, method, valueFor);
    if (recording !== undefined) {
      closers.push(() => recording.recorder.close());
      exchanges = recording.recorder.exchanges;
      testedMethod = recording.method;
    }
    const tested: ConnectorDefinition = {
      ...connector,
      authMethods: [testedMethod],
      endpoints: connector.endpoints
        .filter((endpoint) => endpoint.authMethods.includes(method.id))
        .map((endpoint) => ({ ...endpoint, authMethods: [method.id] })),
    };
    const runtime = createRuntime({
      connectors: [tested],
      strategies: builtInStrategies(),
      callbackUrl: callbackServer.callbackUrl,
    });
    closers.push(() => runtime.close());

    let authorizationUrl: string;
    try {
      ({ authorizationUrl } = await runtime.beginAuthorization({
        connectorId: connector.id,
        authMethodId: method.id,
        name: 'splice auth test',
        variables,
      }));
    } catch (error) {
      if (SpliceError.is(error)) {
        return fail(`${scrub(error.message, secrets())}\n  Give values with --var key=value.`);
      }
      throw error;
    }
    say(`Testing ${connector.name} › ${method.name} (${method.id})`);
    say(
      `Redirect URI: ${valueFor('callback_url') ?? callbackServer.callbackUrl}  (register it with the provider)`,
    );
    say();
    say('Open this URL in a browser, sign in and approve:');
    say(authorizationUrl);
    say();
    if (options.open === true && !(await openInBrowser(authorizationUrl))) {
      say('(could not start a browser: open the URL by hand)');
    }
    say('Waiting for the redirect… (Ctrl-C to stop)');
    const wait = AbortSignal.any([
      AbortSignal.timeout((options.waitSeconds ?? 300) * 1000),
      ...(options.signal === undefined ? [] : [options.signal]),
    ]);
    let callback: string;
    try {
      callback = await callbackServer.next(wait);
    } catch {
      return fail(
        options.signal?.aborted === true
          ? 'stopped before the redirect came back'
          : 'no redirect came back in time',
      );
    }
    say('Redirect received: exchanging the code…');
    let failure: SpliceError | undefined;
    try {
      await runtime.completeAuthorization(callback);
    } catch (error) {
      if (!SpliceError.is(error)) throw error;
      failure = error;
    }
    const exchange = exchanges.at(-1);
    const parsed =
      exchange === undefined ? undefined : parseTokenResponse(exchange.body, exchange.contentType);
    // Everything the provider sent is treated as secret when echoing an error message, but for
    // its OAuth error (RFC 6749 §5.2), which is not a secret and is what the user needs to see.
    const responseValues = leafPaths(parsed?.body ?? {})
      .filter(([path]) => !OAUTH_ERROR_FIELDS.has(path))
      .map(([path]) => String(readPath(parsed?.body ?? {}, path)));
    const clean = (text: string): string => scrub(text, [...secrets(), ...responseValues]);
    say();
    const keysOk =
      exchange === undefined || parsed === undefined
        ? failure === undefined
        : describeExchange(exchange, parsed, { say, valueFor, clean });
    if (failure !== undefined) {
      say();
      say(`✖ ${failure.code}: ${clean(failure.message)}`);
      for (const hint of hintsFor(failure, method)) say(`  → ${hint}`);
      return 1;
    }
    say();
    say(
      keysOk
        ? `✔ ${method.id} works: the code was exchanged and an instance can be added.`
        : `! ${method.id} exchanged the code, but see the notes above.`,
    );
    return 0;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
}

/** A recorder in front of the token URL's origin, and the method pointed at it. */
async function recordTokenUrl(
  connector: ConnectorDefinition,
  method: AuthMethodDefinition,
  valueFor: (key: string) => string | undefined,
): Promise<{ recorder: TokenRecorder; method: AuthMethodDefinition } | undefined> {
  const template = method.urls['token'];
  if (template === undefined) return undefined;
  const templateOrigin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(template)?.[0];
  if (templateOrigin === undefined) return undefined;
  const values: Record<string, string> = {};
  for (const variable of [...connector.variables, ...method.variables]) {
    const value = valueFor(variable.key);
    if (value !== undefined) values[variable.key] = value;
  }
  let origin: string;
  try {
    origin = new URL(compileUrlTemplate(template, 'urls.token').render(values)).origin;
  } catch {
    return undefined; // a missing value: beginAuthorization reports it with its name
  }
  const recorder = await startTokenRecorder(origin);
  // Refresh requests go through the recorder too when they share the token URL's origin.
  const urls = Object.fromEntries(
    Object.entries(method.urls).map(([name, url]) => [
      name,
      name !== 'authorise' && url.startsWith(templateOrigin)
        ? `${recorder.url}${url.slice(templateOrigin.length)}`
        : url,
    ]),
  );
  return { recorder, method: { ...method, urls } };
}

interface Reporter {
  say(line?: string): void;
  valueFor(key: string): string | undefined;
  clean(text: string): string;
}

const KEYS = [
  {
    what: 'access token',
    variable: 'response_authentication_token_key',
    fallback: 'access_token',
    type: 'string',
  },
  {
    what: 'refresh token',
    variable: 'response_refresh_token_key',
    fallback: 'refresh_token',
    type: 'string',
  },
  { what: 'expiry', variable: 'response_expires_in_key', fallback: 'expires_in', type: 'number' },
] as const;

/**
 * Prints the token response's redacted shape and a line per configured response key; returns
 * true when every key was found.
 */
function describeExchange(
  exchange: RecordedExchange,
  parsed: ReturnType<typeof parseTokenResponse>,
  report: Reporter,
): boolean {
  const { say, valueFor, clean } = report;
  const format =
    parsed.format === 'other'
      ? exchange.contentType || 'unknown type'
      : parsed.format.toUpperCase();
  say(`Token response: HTTP ${exchange.status}, ${format}; values redacted:`);
  if (parsed.body === undefined) {
    say(`  (not JSON or form-encoded: ${exchange.body.length} bytes)`);
    return false;
  }
  for (const line of JSON.stringify(redactedShape(parsed.body), null, 2).split('\n'))
    say(`  ${line}`);
  if (exchange.status < 200 || exchange.status > 299) {
    const error = parsed.body['error'];
    const description = parsed.body['error_description'];
    if (typeof error === 'string') {
      say(
        `  OAuth error: ${clean(error)}${typeof description === 'string' ? ` — ${clean(description)}` : ''}`,
      );
    }
    return false;
  }
  say();
  say('Configured response keys:');
  const strings = leafPaths(parsed.body)
    .filter(([, type]) => type === 'string')
    .map(([path]) => path);
  const numbers = leafPaths(parsed.body)
    .map(([path]) => path)
    .filter((path) => /^\d+(\.\d+)?$/.test(String(readPath(parsed.body, path))));
  let allFound = true;
  for (const key of KEYS) {
    const path = valueFor(key.variable) ?? key.fallback;
    let value = readPath(parsed.body, path);
    let foundAt = path;
    if (
      value === undefined &&
      key.what === 'expiry' &&
      readPath(parsed.body, 'expires_at') !== undefined
    ) {
      value = readPath(parsed.body, 'expires_at');
      foundAt = 'expires_at';
    }
    const found = value !== undefined && value !== null && value !== '';
    const label = `${key.what.padEnd(13)} ${key.variable} = "${path}"`;
    if (found) {
      say(
        `  ✔ ${label}: found${foundAt === path ? '' : ` as ${foundAt} (absolute)`} (${typeof value})`,
      );
      continue;
    }
    allFound = false;
    say(`  ✖ ${label}: not in the response`);
    for (const hint of missingKeyHints(
      key.what,
      key.variable,
      key.what === 'expiry' ? numbers : strings,
      valueFor,
    )) {
      say(`      → ${hint}`);
    }
  }
  return allFound;
}

function missingKeyHints(
  what: (typeof KEYS)[number]['what'],
  variable: string,
  candidates: readonly string[],
  valueFor: (key: string) => string | undefined,
): string[] {
  const others =
    candidates.length === 0 ? '' : ` (fields that could be it: ${candidates.join(', ')})`;
  switch (what) {
    case 'access token':
      return [
        `set ${variable} to where the provider puts the token${others}; dotted paths such as data.token work`,
      ];
    case 'refresh token':
      return [
        'without one, the instance needs a new consent each time the access token expires',
        `if the provider sends it under another key, set ${variable}${others}`,
        'many providers only issue one for a scope such as offline_access, or a URL parameter such as access_type=offline',
      ];
    case 'expiry':
      return [
        `without one, Splice cannot refresh ahead of expiry and waits for an expired-token status (${valueFor('expired_token_statuses') ?? '401'})`,
        `if the provider sends the lifetime in seconds under another key, set ${variable}${others}; an absolute expires_at is also read`,
      ];
  }
}

/** What to change for a failed exchange, by error code and OAuth error. */
function hintsFor(error: SpliceError, method: AuthMethodDefinition): string[] {
  const oauthError =
    typeof error.details['oauthError'] === 'string' ? error.details['oauthError'] : '';
  const auth = method.variables.find((v) => v.key === 'token_endpoint_auth_method')?.default;
  switch (error.code) {
    case 'AUTH_DENIED':
      return [
        'the provider refused the authorization: check the scope and that the redirect URI above is registered',
      ];
    case 'AUTH_STATE_INVALID':
      return ['the callback did not match the pending authorization: start the test again'];
    case 'AUTH_ISSUER_MISMATCH':
      return ["the callback's iss differs from the issuer variable: fix issuer, or clear it"];
    case 'TIMEOUT':
      return [`the token URL did not answer within timeoutSeconds (${method.timeoutSeconds} s)`];
    case 'TOKEN_RESPONSE_INVALID':
      return ['see the configured response keys above'];
    case 'TOKEN_REQUEST_FAILED':
      if (oauthError === 'invalid_client') {
        return [
          'check client_id and client_secret',
          `the method sends them with token_endpoint_auth_method "${auth ?? 'client_secret_post'}": try client_secret_basic or client_secret_post`,
        ];
      }
      if (oauthError === 'invalid_grant') {
        return [
          'the code was refused: the redirect URI must equal the registered one exactly, and the pkce setting must match what the provider expects',
        ];
      }
      if (oauthError === 'unsupported_grant_type')
        return ['check grant_type (usually authorization_code)'];
      return ["check urls.token and the method's header and body tabs"];
    default:
      return [];
  }
}
