import { readFile } from 'node:fs/promises';
import {
  invalidArgument,
  jsonParseProblem,
  REDACTED,
  SECRET_KEY_PATTERN,
  SpliceError,
  scrub,
} from '@splice/core';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exitCodes.js';
import { explainFailure } from './explainFailure.js';
import type { Output } from './Output.js';
import { openFailed, openRuntime, type RuntimeSource, storeKeyProblem } from './openRuntime.js';
import { startProgress } from './progress.js';
import { missingVariableRefusal, unknownVariableRefusal } from './variableUsage.js';

/** Options of {@link callCommand}. */
export interface CallOptions extends Omit<RuntimeSource, 'callbackUrl' | 'dispatcher'> {
  /** The instance id. */
  readonly instance: string;
  readonly endpoint: string;
  /** Endpoint variable values (`--var`). */
  readonly variables?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body, or `@file` to read one. */
  readonly body?: string;
  /** Print `{ status, headers, body }` as one JSON document. */
  readonly json?: boolean;
}

async function readBody(body: string, resolve: (path: string) => string): Promise<unknown> {
  const text = body.startsWith('@') ? await readFile(resolve(body.slice(1)), 'utf8') : body;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw invalidArgument(
      `--body must be JSON (or @file holding JSON): ${jsonParseProblem(error)}`,
    );
  }
}

function maskHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
  secrets: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    out[name] = SECRET_KEY_PATTERN.test(name) ? REDACTED : scrub(text, secrets);
  }
  return out;
}

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/**
 * `splice call <instance> <endpoint>`: calls one endpoint of a saved instance through the runtime
 * (gating, templates, credentials, refresh, retries) and prints the status line, the response
 * headers and the body (JSON pretty-printed). Secrets are masked: headers that carry credentials
 * by name (`set-cookie`, `authorization`...) read `[redacted]`, and the instance's secret values
 * and credentials are scrubbed from every header and the body. An error status prints the same
 * way from the error's details. Returns 0 for a 2xx, 1 otherwise, and 2 (usage) before any request
 * for a `--var` key the endpoint does not take or a required endpoint variable without a value
 * (none given, no default, or given empty).
 *
 * @example
 * ```ts
 * await callCommand({ db: 'splice.db', connectors: ['acme.yaml'], env: process.env,
 *   resolve: (p) => p, instance: 'inst_1', endpoint: 'list-orders' }, processOutput());
 * ```
 */
export async function callCommand(options: CallOptions, output: Output): Promise<number> {
  let open: Awaited<ReturnType<typeof openRuntime>>;
  try {
    open = await openRuntime(options);
  } catch (error) {
    return openFailed(error, output);
  }
  try {
    const instance = await open.runtime.getInstance(options.instance);
    if (instance === undefined) {
      output.stderr.write(
        `✖ no instance "${options.instance}" in the store (see splice instances list)\n`,
      );
      return EXIT_FAILED;
    }
    const connector = open.connectors.find(({ id }) => id === instance.connectorId);
    if (connector === undefined) {
      // A usage mistake, not a failed check: the command was not told where the definition is.
      output.stderr.write(
        `✖ instance "${instance.id}" belongs to connector "${instance.connectorId}", which no connector file given defines: pass -c <file> (or set SPLICE_CONNECTORS) with its definition\n`,
      );
      return EXIT_USAGE;
    }
    const secrets = await open.secretsOf(instance);
    let body: unknown;
    try {
      if (options.body !== undefined) body = await readBody(options.body, options.resolve);
    } catch (error) {
      output.stderr.write(`✖ ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    const input = {
      ...(options.variables === undefined ? {} : { variables: options.variables }),
      ...(options.query === undefined ? {} : { query: options.query }),
      ...(options.headers === undefined ? {} : { headers: options.headers }),
      ...(body === undefined ? {} : { body }),
    };
    const progress = startProgress(output, `Calling ${options.endpoint}…`);
    let status: number;
    let headers: Record<string, string>;
    let text: string;
    let ok = true;
    try {
      const result = await open.runtime.callEndpoint(instance, options.endpoint, input);
      ({ status, body: text } = result);
      headers = maskHeaders(result.headers, secrets);
    } catch (error) {
      if (!SpliceError.is(error, 'ENDPOINT_HTTP_ERROR')) {
        // A misspelt --var, or an endpoint's required variable without a value (the runtime's
        // check, before anything is sent): the command line was wrong.
        const usage =
          unknownVariableRefusal(error, `endpoint "${options.endpoint}"`) ??
          (SpliceError.is(error, 'VARIABLE_MISSING') && error.details.endpointId !== undefined
            ? missingVariableRefusal(
                error,
                `endpoint "${options.endpoint}" of ${connector.id}`,
                '--var',
              )
            : undefined);
        if (usage !== undefined) {
          output.stderr.write(`✖ ${usage}\n`);
          return EXIT_USAGE;
        }
        const failure = explainFailure(error);
        output.stderr.write(`✖ ${failure.code}: ${scrub(failure.message, secrets)}\n`);
        if (failure.cause !== undefined) output.stderr.write(`  cause: ${failure.cause}\n`);
        for (const hint of failure.hints) output.stderr.write(`  → ${hint}\n`);
        return EXIT_FAILED;
      }
      ok = false;
      status = error.details.status;
      headers = maskHeaders(error.details.headers, secrets);
      text = error.details.body;
    } finally {
      progress.stop();
    }
    text = scrub(text, secrets);
    // Then the runtime's own list (secret definition defaults, secret captured values): one pass
    // over what is printed.
    ({ headers, text } = JSON.parse(
      await open.runtime.scrubSecrets(instance, JSON.stringify({ headers, text })),
    ) as { headers: Record<string, string>; text: string });
    if (options.json === true) {
      output.stdout.write(`${JSON.stringify({ status, headers, body: text }, null, 2)}\n`);
    } else {
      output.stdout.write(`HTTP ${status}\n`);
      for (const [name, value] of Object.entries(headers))
        output.stdout.write(`${name}: ${value}\n`);
      output.stdout.write(`\n${prettyBody(text)}\n`);
    }
    return ok ? EXIT_OK : EXIT_FAILED;
  } catch (error) {
    const keyProblem = storeKeyProblem(error, options.env['SPLICE_KEY']);
    if (keyProblem === undefined) throw error;
    output.stderr.write(`✖ ${keyProblem}\n`);
    return EXIT_USAGE;
  } finally {
    await open.close();
  }
}
