import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import {
  type ConnectorDefinition,
  type Instance,
  invalidArgument,
  type Store,
  type StoreEncryptionKey,
  storeKeys,
} from '@splice/core';
import { createRuntime, loadConnector, type Runtime } from '@splice/endpoint-runtime';
import { SqliteStore } from '@splice/store-sqlite';
import type { Dispatcher } from 'undici';
import { builtInStrategies } from '../builtInStrategies.js';
import { EXIT_FAILED, EXIT_USAGE } from './exitCodes.js';
import { explainFailure } from './explainFailure.js';
import type { Output } from './Output.js';

/** Where the saved instances are and which connectors they belong to. */
export interface RuntimeSource {
  /** `--db`, else `SPLICE_DB`: the SQLite file of `@splice/store-sqlite`. */
  readonly db?: string;
  /** `--connector` files, else `SPLICE_CONNECTORS` (a list separated by the platform's path delimiter). */
  readonly connectors?: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Resolves relative paths. */
  readonly resolve: (path: string) => string;
  /** The callback URL for a re-authorization's consent. */
  readonly callbackUrl?: string;
  readonly dispatcher?: Dispatcher;
}

/** An open runtime on a saved store, with what a command needs to close it and mask secrets. */
export interface OpenRuntime {
  readonly runtime: Runtime;
  readonly store: Store;
  readonly connectors: readonly ConnectorDefinition[];
  /** The clear values a printout must not show: secret variables and credentials of `instance`. */
  secretsOf(instance: Instance): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Parses `SPLICE_KEY`: one key or several separated by `,` (the first encrypts, all decrypt, as
 * during a key rotation), each `id:key` with a base64 or base64url 32-byte key, or only the key
 * (id `default`).
 *
 * @example
 * ```ts
 * parseKeys('k2:…,k1:…'); // [{ id: 'k2', key: '…' }, { id: 'k1', key: '…' }]
 * ```
 */
export function parseKeys(text: string): StoreEncryptionKey[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      return colon === -1
        ? { id: 'default', key: part }
        : { id: part.slice(0, colon), key: part.slice(colon + 1) };
    });
}

/**
 * Opens the runtime of the instance commands (`call`, `instances`): a `SqliteStore` on `--db` /
 * `SPLICE_DB`, encrypted with `SPLICE_KEY` when set (clear-text otherwise, as the store was
 * written), the connectors of `--connector` / `SPLICE_CONNECTORS` loaded with every built-in
 * strategy. Throws a coded `INVALID_ARGUMENT` TypeError when no store is given or the file does
 * not exist (a typo must not create an empty store).
 *
 * @example
 * ```ts
 * const open = await openRuntime({ db: 'splice.db', connectors: ['acme.yaml'], env: process.env, resolve });
 * try { await open.runtime.listInstances(); } finally { await open.close(); }
 * ```
 */
export async function openRuntime(source: RuntimeSource): Promise<OpenRuntime> {
  const db = source.db ?? source.env['SPLICE_DB'];
  if (db === undefined || db === '') {
    throw invalidArgument(
      'no store: pass --db <file> or set SPLICE_DB to the SQLite file of the instances',
    );
  }
  // These commands read instances a runtime saved: a path with no store is a typo, not a new
  // store (opening it would leave an empty database file behind).
  if (!existsSync(source.resolve(db))) {
    throw invalidArgument(
      `no store at "${db}": --db / SPLICE_DB must name the SQLite file your runtime saves instances in`,
    );
  }
  const files =
    source.connectors !== undefined && source.connectors.length > 0
      ? source.connectors
      : (source.env['SPLICE_CONNECTORS'] ?? '').split(delimiter).filter((f) => f !== '');
  const strategies = builtInStrategies();
  const connectors: ConnectorDefinition[] = [];
  for (const file of files)
    connectors.push(await loadConnector(source.resolve(file), { strategies }));
  const key = source.env['SPLICE_KEY'];
  const store = new SqliteStore({
    path: source.resolve(db),
    encryption: key === undefined || key === '' ? false : { keys: parseKeys(key) },
    purgeIntervalMs: 0,
  });
  const runtime = createRuntime({
    connectors,
    strategies,
    store,
    ...(source.callbackUrl === undefined ? {} : { callbackUrl: source.callbackUrl }),
    ...(source.dispatcher === undefined ? {} : { dispatcher: source.dispatcher }),
  });
  return {
    runtime,
    store,
    connectors,
    async secretsOf(instance) {
      const record = (await store.get(storeKeys.instance(instance.id)))?.value as
        | { variables?: Record<string, string> }
        | undefined;
      const credentials = (await store.get(storeKeys.credentials(instance.id)))?.value as
        | { values?: Record<string, string> }
        | undefined;
      const resolved = runtime
        .listConnectors()
        .find((c) => c.id === instance.connectorId)
        ?.authMethods.find((m) => m.id === instance.authMethodId);
      const secretKeys = new Set(resolved?.variables.filter((v) => v.secret).map((v) => v.key));
      const variables = Object.entries(record?.variables ?? {})
        .filter(([k]) => resolved === undefined || secretKeys.has(k))
        .map(([, v]) => v);
      return [...variables, ...Object.values(credentials?.values ?? {})];
    },
    async close() {
      await runtime.close();
      await store.close();
    },
  };
}

/**
 * Prints why {@link openRuntime} failed and returns the exit code: 2 for a missing store option
 * (usage), 1 for a connector that does not load or a store that does not open.
 *
 * @example
 * ```ts
 * try { open = await openRuntime(source); } catch (error) { return openFailed(error, output); }
 * ```
 */
export function openFailed(error: unknown, output: Output): number {
  const failure = explainFailure(error);
  output.stderr.write(`✖ ${failure.message}\n`);
  const issues = (error as { details?: { issues?: { path: string; message: string }[] } }).details
    ?.issues;
  for (const issue of issues ?? [])
    output.stderr.write(`  ${issue.path || '(root)'}: ${issue.message}\n`);
  return failure.code === 'INVALID_ARGUMENT' ? EXIT_USAGE : EXIT_FAILED;
}
