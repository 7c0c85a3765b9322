import { type Instance, scrub } from '@splice/core';
import { type AuthTestContext, consentSteps } from '../authTest/authTestSteps.js';
import { recordingDispatcher } from '../authTest/recordingDispatcher.js';
import { runSteps } from '../authTest/runSteps.js';
import { builtInStrategies } from '../builtInStrategies.js';
import { startCallbackServer } from '../callback/startCallbackServer.js';
import { askChoice, isTerminal } from './askChoice.js';
import { DEFAULT_CALLBACK_PORT } from './defaultCallbackPort.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exitCodes.js';
import { explainFailure } from './explainFailure.js';
import type { Output } from './Output.js';
import {
  type OpenRuntime,
  openFailed,
  openRuntime,
  type RuntimeSource,
  storeKeyProblem,
} from './openRuntime.js';
import { missingVariableRefusal, unknownVariableRefusal } from './variableUsage.js';

/** Options shared by the `splice instances` commands. */
export type InstancesOptions = Omit<RuntimeSource, 'callbackUrl' | 'dispatcher'> & {
  readonly json?: boolean;
};

/** Options of `splice instances reauthorize`. */
export interface ReauthorizeOptions {
  readonly open?: boolean;
  readonly headless?: boolean;
  readonly port?: number;
  readonly waitSeconds?: number;
  readonly signal?: AbortSignal;
  /** Changed variable values for the new consent (e.g. a new scope). */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * `--choose <id>` (repeatable): the choice to record when a post-authorization step offers
   * several; without it a terminal prompts, otherwise the command fails listing the choices.
   */
  readonly choose?: readonly string[];
}

const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

async function withRuntime(
  options: Omit<RuntimeSource, 'callbackUrl' | 'dispatcher'>,
  output: Output,
  run: (open: OpenRuntime) => Promise<number>,
  extra: Partial<Pick<RuntimeSource, 'callbackUrl' | 'dispatcher'>> = {},
): Promise<number> {
  let open: OpenRuntime;
  try {
    open = await openRuntime({ ...options, ...extra });
  } catch (error) {
    return openFailed(error, output);
  }
  try {
    return await run(open);
  } catch (error) {
    // A store the command cannot decrypt: SPLICE_KEY is the command's setting, as SPLICE_DB.
    const keyProblem = storeKeyProblem(error, options.env['SPLICE_KEY']);
    if (keyProblem !== undefined) {
      output.stderr.write(`✖ ${keyProblem}\n`);
      return EXIT_USAGE;
    }
    const failure = explainFailure(error);
    output.stderr.write(`✖ ${failure.code}: ${failure.message}\n`);
    for (const hint of failure.hints) output.stderr.write(`  → ${hint}\n`);
    return EXIT_FAILED;
  } finally {
    await open.close();
  }
}

async function find(open: OpenRuntime, id: string, output: Output): Promise<Instance | undefined> {
  const instance = await open.runtime.getInstance(id);
  if (instance === undefined) {
    output.stderr.write(`✖ no instance "${id}" in the store (see splice instances list)\n`);
  }
  return instance;
}

/**
 * `splice instances list`: every saved instance, oldest first: id, name, connector › method,
 * status, created. With `json`, the instances (secret values `[redacted]`) as a JSON array.
 *
 * @example
 * ```ts
 * await listInstances({ db: 'splice.db', env: process.env, resolve: (p) => p }, processOutput());
 * ```
 */
export async function listInstances(options: InstancesOptions, output: Output): Promise<number> {
  return withRuntime(options, output, async ({ runtime }) => {
    const instances = await runtime.listInstances();
    if (options.json === true) {
      output.stdout.write(`${JSON.stringify(instances, null, 2)}\n`);
      return EXIT_OK;
    }
    if (instances.length === 0) {
      output.stdout.write('No instances in the store.\n');
      return EXIT_OK;
    }
    const rows = instances.map((i) => [
      i.id,
      i.name,
      `${i.connectorId} › ${i.authMethodId}`,
      i.status,
      i.createdAt,
    ]);
    const header = ['ID', 'NAME', 'CONNECTOR › METHOD', 'STATUS', 'CREATED'];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
    for (const row of [header, ...rows]) {
      output.stdout.write(
        `${row
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd()}\n`,
      );
    }
    return EXIT_OK;
  });
}

/**
 * `splice instances show <id>`: the instance (secret values `[redacted]`), its token status
 * (state, obtained, expires, last and next refresh, scopes, refreshable; needs its connector) and
 * the endpoints its method enables. Exit 1 when there is no such instance.
 *
 * @example
 * ```ts
 * await showInstance({ db: 'splice.db', connectors: ['acme.yaml'], env: process.env, resolve }, 'inst_1', out);
 * ```
 */
export async function showInstance(
  options: InstancesOptions,
  id: string,
  output: Output,
): Promise<number> {
  return withRuntime(options, output, async (open) => {
    const instance = await find(open, id, output);
    if (instance === undefined) return EXIT_FAILED;
    const known = open.connectors.some((c) => c.id === instance.connectorId);
    const status = known ? await open.runtime.credentialStatus(instance) : undefined;
    const endpoints = known ? await open.runtime.listEndpoints(instance) : undefined;
    if (options.json === true) {
      output.stdout.write(
        `${JSON.stringify({ instance, credentials: status ?? null, endpoints: endpoints?.map((e) => e.id) ?? null }, null, 2)}\n`,
      );
      return EXIT_OK;
    }
    const lines = [
      `${instance.name} (${instance.id})`,
      `  connector:   ${instance.connectorId} › ${instance.authMethodId}`,
      `  status:      ${instance.status}`,
      `  created:     ${instance.createdAt}`,
      `  updated:     ${instance.updatedAt}`,
      '  variables:',
      ...Object.entries(instance.variables).map(([k, v]) => `    ${k} = ${v}`),
    ];
    if (status === undefined) {
      lines.push(
        `  token:       (load the connector ${instance.connectorId} with --connector to see it)`,
      );
    } else {
      lines.push(`  token:       ${status.state}${status.refreshable ? ', refreshable' : ''}`);
      const facts: [string, string | undefined][] = [
        ['obtained', iso(status.obtainedAt)],
        ['expires', iso(status.expiresAt)],
        ['last refresh', iso(status.refreshedAt)],
        ['next refresh', iso(status.nextRefreshAt)],
        ['scopes', status.scopes?.join(' ')],
      ];
      for (const [label, value] of facts) {
        if (value !== undefined) lines.push(`    ${label.padEnd(13)}${value}`);
      }
    }
    if (endpoints !== undefined) {
      lines.push(`  endpoints:   ${endpoints.map((e) => e.id).join(', ') || '(none)'}`);
    }
    output.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  });
}

/**
 * `splice instances rename <id> <name>`: `runtime.updateInstance(id, { name })`. Exit 1 when
 * there is no such instance or the name is refused, 2 for an empty name.
 *
 * @example
 * ```ts
 * await renameInstance(options, 'inst_1', 'Acme production', processOutput());
 * ```
 */
export async function renameInstance(
  options: InstancesOptions,
  id: string,
  name: string,
  output: Output,
): Promise<number> {
  return withRuntime(options, output, async (open) => {
    if ((await find(open, id, output)) === undefined) return EXIT_FAILED;
    if (name.trim() === '') {
      output.stderr.write('✖ the new name is empty: give the instance a name\n');
      return EXIT_USAGE;
    }
    const renamed = await open.runtime.updateInstance(id, { name });
    output.stdout.write(`✔ ${renamed.id} is now named "${renamed.name}"\n`);
    return EXIT_OK;
  });
}

/**
 * `splice instances delete <id>`: deletes the instance and its credentials from the store
 * (`runtime.deleteInstance`). Exit 1 when there was no such instance.
 *
 * @example
 * ```ts
 * await deleteInstance(options, 'inst_1', processOutput());
 * ```
 */
export async function deleteInstance(
  options: InstancesOptions,
  id: string,
  output: Output,
): Promise<number> {
  return withRuntime(options, output, async ({ runtime }) => {
    if (!(await runtime.deleteInstance(id))) {
      output.stderr.write(`✖ no instance "${id}" in the store (see splice instances list)\n`);
      return EXIT_FAILED;
    }
    output.stdout.write(`✔ deleted ${id} and its credentials\n`);
    return EXIT_OK;
  });
}

/**
 * `splice instances reauthorize <id>`: a new consent for an existing instance of an interactive
 * method (`beginAuthorization({ instanceId })`): the same callback server, authorise-URL probe,
 * browser or `headless` consent and exchange as `splice auth test`; the instance keeps its id and
 * name and gets the new credentials. Exit 1 when a step fails or the method has no consent.
 *
 * @example
 * ```ts
 * await reauthorizeInstance(options, 'inst_1', { open: true }, processOutput());
 * ```
 */
export async function reauthorizeInstance(
  options: InstancesOptions,
  id: string,
  flow: ReauthorizeOptions,
  output: Output,
): Promise<number> {
  const port = flow.port ?? DEFAULT_CALLBACK_PORT;
  let server: Awaited<ReturnType<typeof startCallbackServer>>;
  try {
    server = await startCallbackServer({ port });
  } catch (error) {
    output.stderr.write(
      `✖ ${(error as { code?: string }).code === 'EADDRINUSE' ? `port ${port} on 127.0.0.1 is in use: pass another with --port` : String(error)}\n`,
    );
    return EXIT_FAILED;
  }
  const recording = recordingDispatcher(() => false);
  try {
    return await withRuntime(
      options,
      output,
      async (open) => {
        const instance = await find(open, id, output);
        if (instance === undefined) return EXIT_FAILED;
        const connector = open.connectors.find((c) => c.id === instance.connectorId);
        const method = connector?.authMethods.find((m) => m.id === instance.authMethodId);
        const strategy = builtInStrategies().find((s) => s.type === method?.type);
        if (connector === undefined || method === undefined || strategy === undefined) {
          output.stderr.write(
            `✖ load the connector ${instance.connectorId} with --connector (or SPLICE_CONNECTORS) to re-authorize its instances\n`,
          );
          return EXIT_FAILED;
        }
        if (!strategy.interactive) {
          output.stderr.write(
            `✖ ${method.id} (${method.type}) has no consent page: its credentials are values; delete the instance and add it again with the new ones\n`,
          );
          return EXIT_FAILED;
        }
        // Begun before the steps, so a --var key the method does not take, or a required value
        // a --var emptied, is a usage error (exit 2) before anything is printed; any other
        // refusal fails the consent step.
        const begun = await open.runtime
          .beginAuthorization({
            instanceId: instance.id,
            ...(flow.variables === undefined ? {} : { variables: flow.variables }),
          })
          .then(
            (start) => ({ start }),
            (error: unknown) => ({ error }),
          );
        if ('error' in begun) {
          const owner = `auth method "${method.id}"`;
          const usage =
            unknownVariableRefusal(begun.error, owner) ??
            missingVariableRefusal(begun.error, `instance ${instance.id} (${owner})`, '--var');
          if (usage !== undefined) {
            output.stderr.write(`✖ ${usage}\n`);
            return EXIT_USAGE;
          }
        }
        const secrets = await open.secretsOf(instance);
        const say = (line = ''): void => {
          output.stdout.write(`${line}\n`);
        };
        say(`Re-authorizing ${instance.name} (${instance.id}) › ${method.name}`);
        say(`Redirect URI: ${server.callbackUrl}  (register it with the provider)`);
        say();
        const ctx: AuthTestContext = {
          connector,
          method,
          strategy,
          runtime: open.runtime,
          store: open.store,
          recording,
          callbackServer: server,
          redirectUri: server.callbackUrl,
          variables: flow.variables ?? {},
          open: flow.open === true,
          headless: flow.headless === true,
          waitSeconds: flow.waitSeconds ?? 300,
          ...(flow.signal === undefined ? {} : { signal: flow.signal }),
          output,
          say,
          clean: (text) => scrub(text, [...secrets, ...Object.values(flow.variables ?? {})]),
          ...(flow.choose === undefined || flow.choose.length === 0 ? {} : { choose: flow.choose }),
          ...(isTerminal(output) ? { ask: (choices) => askChoice(choices, output) } : {}),
          begin: () =>
            'error' in begun ? Promise.reject(begun.error) : Promise.resolve(begun.start),
        };
        const reports = await runSteps(consentSteps(method), ctx);
        const ok = reports.every((r) => r.status !== 'failed');
        say();
        const stoppedAt = reports.find((r) => r.status === 'failed')?.id;
        say(
          ok
            ? `✔ ${instance.id} has new credentials`
            : stoppedAt === 'post-authorization'
              ? `✖ ${instance.id} has new credentials, but its post-authorization steps are not done (status pending_choice): run reauthorize again (with --choose <id>)`
              : `✖ ${instance.id} was not re-authorized`,
        );
        return ok ? EXIT_OK : EXIT_FAILED;
      },
      { callbackUrl: server.callbackUrl, dispatcher: recording.dispatcher },
    );
  } finally {
    await server.close();
    await recording.close();
  }
}
