import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createFileAdapter } from './fileAdapter.js';
import { withoutOidcNotices } from './withoutOidcNotices.js';

/** A JSON Web Key as node:crypto exports it. */
export type Jwk = Record<string, unknown>;

/** What must stay the same between demo runs for stored grants to keep working. */
export interface AuthorizationServerSecrets {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Private signing keys (ID tokens); generated once per state directory. */
  readonly jwks: { readonly keys: readonly Jwk[] };
  /** Keys that sign the provider's session and interaction cookies. */
  readonly cookieKeys: readonly string[];
}

/** Options of {@link startDemoAuthorizationServer}. */
export interface DemoAuthorizationServerOptions {
  /** Directory holding the provider's adapter file. */
  readonly stateDir: string;
  readonly secrets: AuthorizationServerSecrets;
  /** Redirect URIs the demo client may use. */
  readonly redirectUris: readonly string[];
}

/** Server-side counts the demo reports. */
export interface DemoAuthorizationServerCounts {
  authorizationCode: number;
  refreshToken: number;
  invalidGrant: number;
}

/** The demo's running authorization server. */
export interface DemoAuthorizationServer {
  readonly issuer: string;
  readonly counts: DemoAuthorizationServerCounts;
  /** True for an access token this server issued that is neither expired nor revoked. */
  verifyAccessToken(token: string): Promise<boolean>;
  /** Revokes every access token server-side; refresh tokens stay valid. Returns how many. */
  expireAccessTokens(): number;
  close(): Promise<void>;
}

interface ProviderLike {
  callback(): (
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ) => void;
  on(event: string, listener: (...args: never[]) => void): void;
  readonly AccessToken: {
    find(token: string): Promise<{ readonly isExpired: boolean } | undefined>;
  };
}
type ProviderConstructor = new (issuer: string, configuration: object) => ProviderLike;

// oidc-provider ships no types; the few members used are typed above. A variable specifier keeps
// the compiler from looking for declarations of the module.
const OIDC_PROVIDER = 'oidc-provider';

/**
 * Starts the demo's authorization server: oidc-provider 9 on `127.0.0.1:0`, with its real
 * development login and consent pages, PKCE required (RFC 7636), refresh tokens issued and rotated
 * on every use, opaque access tokens. Unlike a throwaway test server, everything a stored
 * instance depends on survives a restart: the client and its secret, the signing keys, the cookie
 * keys (all in `secrets`, kept by the caller) and the grants and tokens themselves (in
 * `authorization-server-data.json` in `stateDir`).
 *
 * @example
 * ```ts
 * const server = await startDemoAuthorizationServer({ stateDir: '.splice', secrets, redirectUris });
 * const api = await startAcmeApi({ verifyAccessToken: server.verifyAccessToken, apiToken });
 * ```
 */
export async function startDemoAuthorizationServer(
  options: DemoAuthorizationServerOptions,
): Promise<DemoAuthorizationServer> {
  const adapter = createFileAdapter(join(options.stateDir, 'authorization-server-data.json'));
  let handler: ReturnType<ProviderLike['callback']> = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { secrets } = options;
  const provider = await withoutOidcNotices(async () => {
    const { default: Provider } = (await import(OIDC_PROVIDER)) as { default: ProviderConstructor };
    return new Provider(issuer, {
      adapter,
      jwks: { keys: secrets.jwks.keys },
      cookies: { keys: [...secrets.cookieKeys] },
      clients: [
        {
          client_id: secrets.clientId,
          client_secret: secrets.clientSecret,
          client_name: 'Splice demo',
          redirect_uris: [...options.redirectUris],
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
        },
      ],
      scopes: ['openid', 'offline_access', 'api'],
      features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
      pkce: { required: () => true },
      // A refresh token for every grant, rotated on each use: the path Splice has to get right.
      issueRefreshToken: async () => true,
      rotateRefreshToken: () => true,
      expiresWithSession: async () => false,
      findAccount: async (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: async () => ({ sub }),
      }),
      ttl: {
        AccessToken: 3600,
        AuthorizationCode: 600,
        RefreshToken: 30 * 24 * 3600,
        Grant: 30 * 24 * 3600,
        Interaction: 3600,
        Session: 3600,
        IdToken: 3600,
      },
    });
  });
  const counts: DemoAuthorizationServerCounts = {
    authorizationCode: 0,
    refreshToken: 0,
    invalidGrant: 0,
  };
  provider.on('grant.success', (ctx: { oidc?: { params?: Record<string, unknown> } }) => {
    const grant = ctx.oidc?.params?.['grant_type'];
    if (grant === 'authorization_code') counts.authorizationCode += 1;
    if (grant === 'refresh_token') counts.refreshToken += 1;
  });
  provider.on('grant.error', (_ctx: unknown, error: { error?: string }) => {
    if (error.error === 'invalid_grant') counts.invalidGrant += 1;
  });
  // oidc-provider reports every non-fatal problem on these events; the demo shows its own log.
  provider.on('server_error', () => {});
  handler = provider.callback();
  return {
    issuer,
    counts,
    async verifyAccessToken(token) {
      const found = await provider.AccessToken.find(token);
      return found !== undefined && !found.isExpired;
    },
    expireAccessTokens: () => adapter.destroyAll('AccessToken'),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
