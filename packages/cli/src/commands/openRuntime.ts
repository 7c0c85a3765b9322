import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import {
  type ConnectorDefinition,
  createStoreCodec,
  type Instance,
  invalidArgument,
  SpliceError,
  type Store,
  type StoreEncryptionKey,
  scrub,
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

const KEY_FORM = '<id>:<base64 32-byte key>[,…]';

/**
 * Parses `SPLICE_KEY`: one key or several separated by `,` (the first encrypts, all decrypt, as
 * during a key rotation), each `id:key` with a base64 or base64url 32-byte key, or only the key
 * (id `default`); spaces around an entry, its id and its key are ignored (`k1 : …`). Each key is checked by the stores' own rule (`createStoreCodec`): id of 1-64
 * characters of A-Z, a-z, 0-9, `_` or `-`, unique, and a key of 32 bytes.
 *
 * Throws a coded `INVALID_ARGUMENT` TypeError (a usage error: exit 2) naming `SPLICE_KEY`, the
 * entry and what is wrong with it, and giving the expected form `<id>:<base64 32-byte key>[,…]`,
 * when the text holds no key (`,`) or an entry is refused. The message never holds key material.
 *
 * @example
 * ```ts
 * parseKeys('k2:…,k1:…'); // [{ id: 'k2', key: '…' }, { id: 'k1', key: '…' }]
 * parseKeys('k1:short');  // throws INVALID_ARGUMENT: SPLICE_KEY entry 1's key (id "k1") must be 32 bytes …
 * ```
 */
export function parseKeys(text: string): StoreEncryptionKey[] {
  const keys = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const colon = part.indexOf(':');
      return colon === -1
        ? { id: 'default', key: part }
        : { id: part.slice(0, colon).trim(), key: part.slice(colon + 1).trim() };
    });
  if (keys.length === 0) {
    throw invalidArgument(
      `SPLICE_KEY is set but holds no key. Set it to ${KEY_FORM}, or unset it for a store written without encryption.`,
    );
  }
  try {
    createStoreCodec({ keys }, { store: 'SPLICE_KEY', warnWhenPlain: false });
  } catch (error) {
    throw invalidArgument(`${keyProblem(error, keys)}. Set SPLICE_KEY to ${KEY_FORM}.`);
  }
  return keys;
}

// A 32-byte key is 43 or 44 characters of base64: an id that long may be a key written first
// (`key:id`), so it is hidden too.
const KEY_LIKE_LENGTH = 43;

// The store rule's refusal, said of SPLICE_KEY's entries (its messages name an option of the
// store: `SPLICE_KEY option "encryption.keys[0].key" (id "k1") must be …`) in the command's
// terms: SPLICE_KEY is text, never a Buffer, and it must hold the engine's key, so the SDK's
// advice to make one (generateEncryptionKey()) would give a key that decrypts nothing.
function keyProblem(error: unknown, keys: readonly StoreEncryptionKey[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const secrets = keys.flatMap(({ id, key }) =>
    id.length >= KEY_LIKE_LENGTH ? [String(key), id] : [String(key)],
  );
  return scrub(
    message
      .replace(
        /^SPLICE_KEY option "encryption\.keys\[(\d+)\](?:\.(\w+))?"/,
        (_, index: string, field: string | undefined) =>
          `SPLICE_KEY entry ${Number(index) + 1}${field === undefined ? '' : `'s ${field}`}`,
      )
      .replace(', as a Buffer/Uint8Array or base64 text,', ', written as base64,')
      .replace(/\. Make one with generateEncryptionKey\(\)\.?$/, '')
      .replace(/\.$/, ''),
    secrets.filter((secret) => secret !== ''),
  );
}

/**
 * Says in `SPLICE_KEY`'s terms why the store could not decrypt a record (a `DECRYPTION_FAILED`
 * with the key id the record was written with, `details.keyId`): `SPLICE_KEY` unset or empty on
 * an encrypted store, without that key id, or with another key under that id (or an altered
 * record). Key ids are named, never key material (nor an id long enough to be a key written
 * first). Undefined for any other error. `keyText` is `SPLICE_KEY` as {@link parseKeys} accepted it.
 *
 * @example
 * ```ts
 * storeKeyProblem(error, undefined);
 * // the store is encrypted: its records were written with key id "k1", and SPLICE_KEY is not set. …
 * ```
 */
export function storeKeyProblem(error: unknown, keyText: string | undefined): string | undefined {
  if (!SpliceError.is(error, 'DECRYPTION_FAILED') || error.details.keyId === undefined) {
    return undefined;
  }
  const { keyId } = error.details;
  const needed = `${keyId}:<base64 32-byte key>`;
  const ids =
    keyText === undefined || keyText.trim() === '' ? [] : parseKeys(keyText).map((k) => k.id);
  if (ids.length === 0) {
    return `the store is encrypted: its records were written with key id "${keyId}", and SPLICE_KEY is ${keyText === undefined ? 'not set' : 'empty'}. Set SPLICE_KEY=${needed}, the key the engine writes this store with.`;
  }
  if (!ids.includes(keyId)) {
    const named = ids.map((id) => (id.length >= KEY_LIKE_LENGTH ? '(hidden)' : `"${id}"`));
    return `the store's records were written with key id "${keyId}", which SPLICE_KEY does not have (it has ${named.join(', ')}). Add the engine's key with that id: SPLICE_KEY=…,${needed} (all its keys decrypt).`;
  }
  return `a record of the store could not be decrypted with SPLICE_KEY's key "${keyId}": that is not the key the store was written with under that id (or the record was altered). Set SPLICE_KEY's "${keyId}" entry to the engine's key.`;
}

/**
 * Opens the runtime of the instance commands (`call`, `instances`): a `SqliteStore` on `--db` /
 * `SPLICE_DB`, encrypted with `SPLICE_KEY` when set (clear-text otherwise, as the store was
 * written), the connectors of `--connector` / `SPLICE_CONNECTORS` loaded with every built-in
 * strategy. Throws a coded `INVALID_ARGUMENT` TypeError when no store is given, the file does
 * not exist (a typo must not create an empty store) or `SPLICE_KEY` is malformed ({@link parseKeys}).
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
