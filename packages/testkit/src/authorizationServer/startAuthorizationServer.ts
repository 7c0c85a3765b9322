/// <reference path="../types/oidc-provider.d.ts" />
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { createProviderAdapter } from './createProviderAdapter.js';

/**
 * How a client authenticates at the token endpoint (RFC 6749 §2.3.1); `none` registers a public
 * client (RFC 6749 §2.1, RFC 7591 §2): it has no secret and must use PKCE.
 */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** A client registered with the authorization server. */
export interface AuthorizationServerClient {
  readonly clientId: string;
  /** Not registered for a public client (`none`). */
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  readonly tokenEndpointAuthMethod: ClientAuthMethod;
  /** Shown on the consent page; default none. */
  readonly clientName?: string;
}

/** A JSON Web Key with its private part, as `KeyObject.export({ format: 'jwk' })` gives it. */
export type PrivateJwk = Readonly<Record<string, unknown>>;

/** Options of {@link startAuthorizationServer}. */
export interface AuthorizationServerOptions {
  /**
   * Clients to register. Default: `splice-basic` (client_secret_basic) and `splice-post`
   * (client_secret_post), both with redirect URI `http://127.0.0.1/callback` and random secrets.
   */
  readonly clients?: readonly Partial<AuthorizationServerClient>[];
  /** Lifetime of issued access tokens in seconds; default 3600. Changeable later. */
  readonly accessTokenTtlSeconds?: number;
  /** Lifetime of issued refresh tokens in seconds; default 14 days. */
  readonly refreshTokenTtlSeconds?: number;
  /** Scopes the server knows besides `openid` and `offline_access`; default `api.read api.write`. */
  readonly scopes?: readonly string[];
  /** Port on 127.0.0.1; default 0 (a free one). */
  readonly port?: number;
  /**
   * A JSON file (written with mode 0600) that keeps the server's grants, codes, tokens and
   * sessions, so a restarted server still honours the refresh tokens it issued; default: memory
   * only. Give it stable `clients` secrets, `signingKeys` and `cookieKeys` as well.
   */
  readonly dataFile?: string;
  /** Private keys that sign ID tokens; default oidc-provider's development keys. */
  readonly signingKeys?: readonly PrivateJwk[];
  /** Keys that sign the login and consent cookies; default one random key per start. */
  readonly cookieKeys?: readonly string[];
}

/** Token requests the server answered, counted server-side by grant. */
export interface AuthorizationServerCounts {
  /** Every POST to the token endpoint. */
  tokenRequests: number;
  /** Successful `authorization_code` grants. */
  authorizationCode: number;
  /** Successful `refresh_token` grants. */
  refreshToken: number;
  /** Successful `client_credentials` grants (RFC 6749 §4.4). */
  clientCredentials: number;
  /** Token requests answered with `invalid_grant` (reused code, reused/revoked refresh token...). */
  invalidGrant: number;
  /** Token requests answered with any error. */
  errors: number;
}

/** One token request the server answered (no secret values). */
export interface TokenRequestRecord {
  /** `grant_type` of the request, when the server parsed one. */
  readonly grant: string | undefined;
  /** How the client authenticated: `Authorization: Basic` or credentials in the form body. */
  readonly clientAuth: 'client_secret_basic' | 'client_secret_post' | 'none';
  readonly status: number;
}

/** Claims of an access token that {@link AuthorizationServer.verifyAccessToken} accepted. */
export interface AccessTokenClaims {
  readonly sub: string | undefined;
  readonly clientId: string | undefined;
  readonly scope: string | undefined;
  /** Epoch seconds. */
  readonly exp: number | undefined;
}

/** A running oidc-provider; see {@link startAuthorizationServer}. */
export interface AuthorizationServer {
  /** The issuer identifier (also the value of the callback's `iss`, RFC 9207). */
  readonly issuer: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  /** The registered clients, with their secrets. */
  readonly clients: readonly AuthorizationServerClient[];
  /** Live counters; read them after the fact. */
  readonly counts: AuthorizationServerCounts;
  /** Every token request, oldest first. */
  readonly tokenRequests: readonly TokenRequestRecord[];
  /** Accepts only tokens this server issued that are neither expired nor revoked. */
  verifyAccessToken(token: string): Promise<AccessTokenClaims | undefined>;
  /** Revokes one access token server-side (a resource server rejects it from then on). */
  revokeAccessToken(token: string): Promise<void>;
  /**
   * Revokes every access token the server holds (with `dataFile`, also those of earlier runs);
   * refresh tokens stay valid. Returns how many were revoked.
   */
  expireAll(): Promise<number>;
  /** Lifetime of access tokens issued from now on. */
  setAccessTokenTtl(seconds: number): void;
  /** The underlying oidc-provider instance, for anything else. */
  readonly provider: Provider;
  close(): Promise<void>;
}

const DEFAULT_REDIRECT = 'http://127.0.0.1/callback';

function secret(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Starts a real OAuth 2 / OpenID Connect authorization server (oidc-provider 9) on
 * `127.0.0.1:0`, configured like a strict production server: PKCE S256 required for every client
 * (RFC 7636), refresh tokens issued for every `authorization_code` client and rotated on every use
 * (a reused refresh token is `invalid_grant` and revokes the grant), opaque access tokens, the
 * authorization response carries `iss` (RFC 9207). The built-in development login and consent
 * pages are on; {@link completeConsent} drives them headlessly. With `dataFile`, stable client
 * secrets, `signingKeys` and `cookieKeys`, a restarted server honours what an earlier one issued
 * (the demo keeps its provider across runs this way); ports may change, access tokens are opaque.
 *
 * @example
 * ```ts
 * const server = await startAuthorizationServer({
 *   clients: [{ clientId: 'app', clientSecret: 's3cret-value', redirectUris: [callback],
 *               tokenEndpointAuthMethod: 'client_secret_basic' }],
 * });
 * const callbackUrl = await completeConsent(authorizationUrl);
 * console.log(server.counts.authorizationCode);
 * await server.close();
 * ```
 */
export async function startAuthorizationServer(
  options: AuthorizationServerOptions = {},
): Promise<AuthorizationServer> {
  let accessTokenTtl = options.accessTokenTtlSeconds ?? 3600;
  const refreshTokenTtl = options.refreshTokenTtlSeconds ?? 14 * 24 * 3600;
  const clients: AuthorizationServerClient[] = (
    options.clients ?? [
      { clientId: 'splice-basic', tokenEndpointAuthMethod: 'client_secret_basic' },
      { clientId: 'splice-post', tokenEndpointAuthMethod: 'client_secret_post' },
    ]
  ).map((client, index) => ({
    clientId: client.clientId ?? `client-${index + 1}`,
    clientSecret: client.clientSecret ?? secret(),
    redirectUris: client.redirectUris ?? [DEFAULT_REDIRECT],
    tokenEndpointAuthMethod: client.tokenEndpointAuthMethod ?? 'client_secret_basic',
    ...(client.clientName === undefined ? {} : { clientName: client.clientName }),
  }));
  const adapter = createProviderAdapter(options.dataFile);

  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handler(req, res));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  // Loaded here, not with the testkit: the simulator and `splice simulate` do not need it (and
  // oidc-provider prints a warning about the Node version on import).
  const { default: OidcProvider } = await import('oidc-provider');
  const provider = new OidcProvider(issuer, {
    adapter,
    clients: clients.map((client) => ({
      client_id: client.clientId,
      // A public client has no secret (oidc-provider refuses one registered with `none`).
      ...(client.tokenEndpointAuthMethod === 'none' ? {} : { client_secret: client.clientSecret }),
      redirect_uris: [...client.redirectUris],
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types: ['code'],
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      ...(client.clientName === undefined ? {} : { client_name: client.clientName }),
    })),
    ...(options.signingKeys === undefined ? {} : { jwks: { keys: [...options.signingKeys] } }),
    cookies: { keys: [...(options.cookieKeys ?? [secret()])] },
    scopes: ['openid', 'offline_access', ...(options.scopes ?? ['api.read', 'api.write'])],
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      // RFC 6749 §4.4, for the oauth2-client-credentials strategy: tokens of the client itself.
      clientCredentials: { enabled: true },
    },
    pkce: { required: () => true },
    // Every authorization_code client gets a refresh token, with or without offline_access: the
    // refresh path is what Splice is tested on.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    // Tokens outlive the browser session: Splice uses them from a server with no session.
    expiresWithSession: async () => false,
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub }),
    }),
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: () => accessTokenTtl,
      ClientCredentials: () => accessTokenTtl,
      RefreshToken: () => refreshTokenTtl,
      AuthorizationCode: 600,
      Grant: refreshTokenTtl,
      Interaction: 3600,
      Session: 3600,
      IdToken: 3600,
    },
  });

  const counts: AuthorizationServerCounts = {
    tokenRequests: 0,
    authorizationCode: 0,
    refreshToken: 0,
    clientCredentials: 0,
    invalidGrant: 0,
    errors: 0,
  };
  const tokenRequests: TokenRequestRecord[] = [];
  provider.use(async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== '/token') return next();
    counts.tokenRequests += 1;
    // oidc-provider accepts basic and post for either registration: record which one was used.
    const basic = /^basic /i.test(ctx.get('authorization'));
    await next();
    const params = ctx.oidc?.params;
    const grant = params?.['grant_type'];
    tokenRequests.push({
      grant: typeof grant === 'string' ? grant : undefined,
      clientAuth: basic
        ? 'client_secret_basic'
        : ctx.oidc?.body?.['client_secret'] === undefined
          ? 'none'
          : 'client_secret_post',
      status: ctx.status,
    });
  });
  provider.on('grant.success', (ctx: { oidc?: { params?: Record<string, unknown> } }) => {
    const grant = ctx.oidc?.params?.['grant_type'];
    if (grant === 'authorization_code') counts.authorizationCode += 1;
    if (grant === 'refresh_token') counts.refreshToken += 1;
    if (grant === 'client_credentials') counts.clientCredentials += 1;
  });
  provider.on('grant.error', (_ctx: unknown, error: { error?: string }) => {
    counts.errors += 1;
    if (error.error === 'invalid_grant') counts.invalidGrant += 1;
  });
  handler = provider.callback();

  // An access token is a user's (AccessToken) or a client's own (ClientCredentials, RFC 6749 §4.4).
  const findToken = async (token: string, options?: { ignoreExpiration: boolean }) =>
    (await provider.AccessToken.find(token, options)) ??
    (await provider.ClientCredentials.find(token, options));
  const revoke = async (token: string): Promise<void> => {
    const found = await findToken(token, { ignoreExpiration: true });
    await found?.destroy();
  };

  return {
    issuer,
    authorizationUrl: `${issuer}/auth`,
    tokenUrl: `${issuer}/token`,
    clients,
    counts,
    tokenRequests,
    provider,
    async verifyAccessToken(token) {
      const found = await findToken(token);
      if (found === undefined || found.isExpired) return undefined;
      return { sub: found.accountId, clientId: found.clientId, scope: found.scope, exp: found.exp };
    },
    revokeAccessToken: revoke,
    async expireAll() {
      return adapter.destroyAll('AccessToken') + adapter.destroyAll('ClientCredentials');
    },
    setAccessTokenTtl(seconds) {
      accessTokenTtl = seconds;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
