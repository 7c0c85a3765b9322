import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What must stay the same between demo runs for the provider's stored grants to keep working. */
export interface AuthorizationServerSecrets {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Private signing keys (ID tokens); generated once per state directory. */
  readonly jwks: { readonly keys: readonly Record<string, unknown>[] };
  /** Keys that sign the provider's session and interaction cookies. */
  readonly cookieKeys: readonly string[];
}

/** What the demo keeps in `<stateDir>/demo.json` between runs (mode 0600: it holds secrets). */
export interface DemoState {
  readonly authorizationServer: AuthorizationServerSecrets;
  /** The one API token the Acme API accepts for the token method. */
  readonly apiToken: string;
  /** AES-256-GCM key (base64url) that encrypts secrets in the SQLite store at rest. */
  readonly storeKey: string;
  /** Ids of the instances the demo added, so a later run finds them in the store. */
  oauthInstanceId?: string;
  tokenInstanceId?: string;
}

/**
 * Where the demo keeps its state: `--state-dir`, else `$SPLICE_HOME`, else `.splice` in the
 * working directory.
 *
 * @example
 * ```ts
 * resolveStateDir(undefined, { SPLICE_HOME: '/tmp/s' }); // '/tmp/s'
 * ```
 */
export function resolveStateDir(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  return resolve(flag ?? env['SPLICE_HOME'] ?? '.splice');
}

/**
 * Reads `<stateDir>/demo.json`, creating the directory and fresh secrets (client secret, RSA
 * signing key, cookie keys, API token, store encryption key) on the first run.
 *
 * @example
 * ```ts
 * const { state, created } = loadDemoState('.splice');
 * ```
 */
export function loadDemoState(stateDir: string): { state: DemoState; created: boolean } {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const path = join(stateDir, 'demo.json');
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<DemoState>;
    // A state file from before the store was encrypted gets its key now.
    const state = {
      ...stored,
      storeKey: stored.storeKey ?? randomBytes(32).toString('base64url'),
    } as DemoState;
    if (stored.storeKey === undefined) saveDemoState(stateDir, state);
    return { state, created: false };
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const state: DemoState = {
    authorizationServer: {
      clientId: 'splice-demo',
      clientSecret: randomBytes(32).toString('base64url'),
      jwks: {
        keys: [
          { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' },
        ],
      },
      cookieKeys: [randomBytes(32).toString('base64url')],
    },
    apiToken: `acme_${randomBytes(24).toString('base64url')}`,
    storeKey: randomBytes(32).toString('base64url'),
  };
  saveDemoState(stateDir, state);
  return { state, created: true };
}

/**
 * Writes `<stateDir>/demo.json` atomically with mode 0600.
 *
 * @example
 * ```ts
 * saveDemoState('.splice', { ...state, oauthInstanceId: instance.id });
 * ```
 */
export function saveDemoState(stateDir: string, state: DemoState): void {
  const path = join(stateDir, 'demo.json');
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}
