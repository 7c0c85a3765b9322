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

/** An OAuth 1 key and its shared secret (client credentials, or token credentials). */
export interface KeyAndSecret {
  readonly key: string;
  readonly secret: string;
}

/** What the demo's OAuth 1 provider (Acme Ledger) knows across runs. */
export interface LedgerSecrets {
  /** The demo's client credentials (consumer key and secret). */
  readonly consumer: KeyAndSecret;
  /** Token credentials issued outside the redirect flow (NetSuite-style token-based auth). */
  readonly issuedToken: KeyAndSecret;
}

/** What the demo keeps in `<stateDir>/demo.json` between runs (mode 0600: it holds secrets). */
export interface DemoState {
  readonly authorizationServer: AuthorizationServerSecrets;
  /** The one API token the Acme API accepts for the token method. */
  readonly apiToken: string;
  /** AES-256-GCM key (base64url) that encrypts secrets in the SQLite store at rest. */
  readonly storeKey: string;
  /** The user name and password the Acme API accepts for the basic method. */
  readonly basic: { readonly username: string; readonly password: string };
  readonly ledger: LedgerSecrets;
  /** Ids of the instances the demo added, so a later run finds them in the store. */
  oauthInstanceId?: string;
  tokenInstanceId?: string;
  /** Ids of the instances of the other methods, by auth method id. */
  instanceIds?: Record<string, string>;
}

function secret(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

// Secrets a state file from an earlier version of the demo lacks, made now.
function missingSecrets(stored: Partial<DemoState>): Partial<DemoState> {
  return {
    ...(stored.storeKey === undefined ? { storeKey: secret(32) } : {}),
    ...(stored.basic === undefined
      ? { basic: { username: 'demo-ops', password: secret(18) } }
      : {}),
    ...(stored.ledger === undefined
      ? {
          ledger: {
            consumer: { key: `ledger-${secret(9)}`, secret: secret(24) },
            issuedToken: { key: `tba-${secret(9)}`, secret: secret(24) },
          },
        }
      : {}),
  };
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
 * signing key, cookie keys, API token, store encryption key, Basic password, OAuth 1 client and
 * token credentials) on the first run.
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
    // A state file from an earlier version of the demo gets what it lacks now.
    const added = missingSecrets(stored);
    const state = { ...stored, ...added } as DemoState;
    if (Object.keys(added).length > 0) saveDemoState(stateDir, state);
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
    ...(missingSecrets({}) as Pick<DemoState, 'storeKey' | 'basic' | 'ledger'>),
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
