import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The switchable behaviours of the simulator. Every field has a standards-following default;
 * flip one to reproduce a real provider's oddity. Change them any time with
 * {@link ProviderSimulator.setQuirks}.
 */
export interface SimulatorQuirks {
  /** Token responses as `application/json` (default) or `application/x-www-form-urlencoded`. */
  tokenFormat: 'json' | 'form';
  /** Nest every token field under this key, e.g. `data` → `{ data: { access_token } }`. */
  nestUnder: string | undefined;
  /** Name of the access-token field; default `access_token`. */
  accessTokenField: string;
  /** Name of the refresh-token field; default `refresh_token`. */
  refreshTokenField: string;
  /** How expiry is told: `number` (default), numeric `string`, `missing`, or absolute `expires_at` (epoch seconds). */
  expiry: 'number' | 'string' | 'missing' | 'expires_at';
  /** Name of the expires-in field; default `expires_in`. */
  expiresInField: string;
  /** Lifetime of access tokens, in seconds; default 3600. */
  accessTokenTtlSeconds: number;
  /** Refresh at a separate path (`/refresh`) instead of `/token`; the token path then refuses refresh grants. */
  separateRefreshUrl: boolean;
  /** Body parameter carrying the refresh grant; default `grant_type` (some use `refresh_grant_type`). */
  refreshGrantParam: string;
  /** Issue a new refresh token on each refresh and invalidate the old one (default true). */
  rotateRefreshTokens: boolean;
  /**
   * With rotation, the presented refresh token is retired only when its replacement is first
   * used, not at once, so a client whose refresh answer was lost can retry with it (Shopify since
   * August 2026). Each such retirement is counted in `counts.retiredByReplacement`. Default false.
   */
  retireRefreshTokenOnReplacementUse: boolean;
  /** Refresh responses carry no refresh token (the client must keep the old one). */
  omitRefreshTokenOnRefresh: boolean;
  /**
   * Refresh tokens are refused (`invalidGrantError`) once this many seconds have passed since the
   * consent that started their grant; refreshes (rotated or not) never extend it, as NetSuite's
   * 7-day refresh tokens. Default `undefined`: no lifetime.
   */
  refreshTokenLifetimeSeconds: number | undefined;
  /** Answer OAuth errors with status 200 and an error body instead of 400/401. */
  errorsWithStatus200: boolean;
  /** Answer errors with an HTML page that echoes the request body (as some gateways do). */
  htmlErrors: boolean;
  /** How the API refuses an expired or unknown token: 401 + WWW-Authenticate (default), 403, or 200 with an error body. */
  expiredTokenResponse: 401 | 403 | '200-error';
  /**
   * The JSON body of that refusal, as the provider words it (Salesforce:
   * `[{"errorCode":"INVALID_SESSION_ID",…}]`); default `{ error: 'invalid_token', … }`.
   */
  expiredTokenBody: unknown;
  /** Delay before each token-endpoint answer, in milliseconds. */
  tokenLatencyMs: number;
  /** The next N token requests fail with `failStatus` (default 503) before being looked at. */
  failNextTokenRequests: number;
  failStatus: number;
  /** `Retry-After` seconds sent with those failures; undefined sends none. */
  retryAfterSeconds: number | undefined;
  /** Require PKCE on the authorise URL: `S256` only, `any` method (default), or `off`. */
  pkce: 'S256' | 'any' | 'off';
  /** Client authentication accepted at the token endpoint. */
  clientAuth: 'client_secret_basic' | 'client_secret_post' | 'any' | 'none';
  /** Put `iss` on the authorization callback (RFC 9207); default true. */
  sendIssuer: boolean;
  /** Deny every authorization with this `error` (e.g. `access_denied`). */
  denyAuthorization: string | undefined;
  // Provider error dialects.
  /**
   * The OAuth `error` a refused code or refresh token gets; default `invalid_grant`. GitHub says
   * `bad_refresh_token` (with `errorsWithStatus200`, as GitHub answers it).
   */
  invalidGrantError: string;
  /**
   * The whole answer to a refused **refresh token** (a dead grant), as the provider words it:
   * `{ status, body }` with a JSON `body` of any shape — HubSpot's
   * `{"status":"BAD_REFRESH_TOKEN","message":…,"correlationId":…}`, with or without an OAuth
   * `error` member. Default undefined: the OAuth error body `{ error: invalidGrantError,
   * error_description }` with 400 (200 with `errorsWithStatus200`). A refused code keeps that
   * default either way. Counted in `counts.invalidGrant` like any refused grant.
   */
  invalidGrantResponse: { readonly status: number; readonly body: unknown } | undefined;
  /**
   * The `Authorization` scheme the API accepts access tokens with; default `Bearer` (any case).
   * Zoho's APIs document `Zoho-oauthtoken`.
   */
  apiAuthScheme: string;
  /**
   * A header the API reads the access token from, its whole value being the token, instead of
   * `Authorization: <apiAuthScheme> <token>` (Shopify's `X-Shopify-Access-Token`). A 401 refusal
   * then carries no `WWW-Authenticate: Bearer` challenge, and the request log redacts the header.
   * Default none.
   */
  apiTokenHeader: string | undefined;
  /**
   * `token_type` of issued tokens; default `Bearer`. Slack says `bot` or `user`; `undefined` sends
   * none (Shopify's token answers have no `token_type`).
   */
  tokenType: string | undefined;
  /**
   * Extra query parameters on the authorization callback, as QuickBooks sends `realmId` and Zoho
   * `accounts-server` and `location`. Default none.
   */
  callbackExtras: Readonly<Record<string, string>>;
  /**
   * Sign the authorization callback as Shopify does: this parameter carries the hex HMAC-SHA256,
   * keyed with the client secret, of every other callback parameter sorted by name and joined as
   * `name=value&…`. Default none (unsigned).
   */
  callbackHmac: string | undefined;
  /**
   * Extra fields in every successful token response (code exchange and refresh), as Salesforce
   * sends `instance_url` and Zoho `api_domain`, or a list such as HubSpot's `scopes`; nested under
   * `nestUnder` like the others (a list is joined with spaces in a form answer).
   */
  tokenExtras: Readonly<Record<string, string | number | readonly string[]>>;
  /**
   * What the discovery endpoint answers (`GET /connections`, Xero; `GET
   * /oauth/token/accessible-resources`, Atlassian) to a live access token: a JSON list, one item per
   * organisation or site the user connected. Default empty.
   */
  discovery: readonly Readonly<Record<string, string>>[];
  /**
   * The members besides `active: true` of what the token introspection endpoint (`POST
   * /introspect`, RFC 7662 §2.2) answers for a live access token: HubSpot's `hub_id`,
   * `hub_domain`, `app_id`, `user_id`, `scopes`. Default none. A token that is not live is
   * `{"active":false}`; the client authenticates as at the token endpoint.
   */
  introspection: Readonly<Record<string, unknown>>;
}

/** Requests the simulator served, by kind. */
export interface SimulatorCounts {
  authorize: number;
  /** Every POST to the token path. */
  token: number;
  /** Every POST to the separate refresh path. */
  refreshPath: number;
  authorizationCode: number;
  refreshToken: number;
  invalidGrant: number;
  invalidClient: number;
  /** Requests failed on purpose by `failNextTokenRequests`. */
  injectedFailures: number;
  api: number;
  apiRejected: number;
  /** Requests to the discovery endpoint. */
  discovery: number;
  /**
   * Refresh tokens retired because their replacement was used
   * (`retireRefreshTokenOnReplacementUse`): each means the client refreshed with the newest one.
   */
  retiredByReplacement: number;
  /** Requests to the token introspection endpoint. */
  introspection: number;
}

/** One request the simulator served. Secret values are kept out of the log. */
export interface SimulatorRequest {
  readonly method: string;
  readonly path: string;
  /** The grant asked for, for token requests. */
  readonly grant?: string;
  readonly status: number;
  /** Request headers; `authorization` (and the `apiTokenHeader`) read `[redacted]`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Form fields of token and introspection requests; `client_secret`, `code`, `code_verifier`, `refresh_token`, `token` read `[redacted]`. */
  readonly params: Readonly<Record<string, string>>;
  /** How the client authenticated: `client_secret_basic`, `client_secret_post` or `none`. */
  readonly clientAuth?: string;
}

// Xero's connections and Atlassian's accessible resources: what a user's grant reaches.
const DISCOVERY_PATHS: ReadonlySet<string> = new Set([
  '/connections',
  '/oauth/token/accessible-resources',
]);

const SECRET_PARAMS = new Set(['client_secret', 'code', 'code_verifier', 'refresh_token', 'token']);

/** Options of {@link startProviderSimulator}. */
export interface ProviderSimulatorOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Accepted redirect URIs; default: any. */
  readonly redirectUris?: readonly string[];
  readonly quirks?: Partial<SimulatorQuirks>;
  /** Epoch-millisecond clock for expiry; default `Date.now`. */
  readonly now?: () => number;
  /**
   * Called before each token request is processed (after injected failures), with the grant
   * asked for. Lets a test interleave another client's request at an exact point.
   */
  readonly beforeTokenRequest?: (grant: string) => Promise<void> | void;
  /**
   * Path prefixes answered as the protected API besides `/api` (a provider's own layout, such as
   * Salesforce's `/services/data`).
   */
  readonly apiPaths?: readonly string[];
  /**
   * Port on 127.0.0.1; default `0` (any free port). A port in use rejects with the listen error
   * (`code: 'EADDRINUSE'`).
   */
  readonly port?: number;
}

/** A running simulator; see {@link startProviderSimulator}. */
export interface ProviderSimulator {
  /** `http://127.0.0.1:<port>`, also the `iss` it sends. */
  readonly issuer: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  /** The separate refresh URL (used when `separateRefreshUrl` is on). */
  readonly refreshUrl: string;
  /** Base URL of the protected API; any path below it answers with a JSON echo. */
  readonly apiUrl: string;
  /** The discovery endpoint (Xero-style `/connections`), answering the `discovery` quirk. */
  readonly discoveryUrl: string;
  /** The token introspection endpoint (RFC 7662), answering the `introspection` quirk. */
  readonly introspectionUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly quirks: Readonly<SimulatorQuirks>;
  readonly counts: SimulatorCounts;
  readonly requests: readonly SimulatorRequest[];
  setQuirks(quirks: Partial<SimulatorQuirks>): void;
  /** True for a live access token this simulator issued. */
  verifyAccessToken(token: string): boolean;
  /** Every access token issued so far is expired from now on. */
  expireAccessTokens(): void;
  /** Every refresh token is invalid from now on (a dead grant). */
  revokeRefreshTokens(): void;
  /** Issues a code directly, as if a user had consented (for `oauth_authorised_code`). */
  issueCode(redirectUri: string): string;
  /** Zeroes the counters and forgets the request log. */
  resetCounts(): void;
  close(): Promise<void>;
}

/**
 * The simulator's quirks as it starts: the standards-following value of every
 * {@link SimulatorQuirks} switch, and so the list of the switches' names (`splice simulate
 * --quirk` checks names against it).
 *
 * @example
 * ```ts
 * Object.keys(DEFAULT_SIMULATOR_QUIRKS).includes('tokenExtras'); // true
 * ```
 */
export const DEFAULT_SIMULATOR_QUIRKS: Readonly<SimulatorQuirks> = Object.freeze({
  tokenFormat: 'json',
  nestUnder: undefined,
  accessTokenField: 'access_token',
  refreshTokenField: 'refresh_token',
  expiry: 'number',
  expiresInField: 'expires_in',
  accessTokenTtlSeconds: 3600,
  separateRefreshUrl: false,
  refreshGrantParam: 'grant_type',
  rotateRefreshTokens: true,
  retireRefreshTokenOnReplacementUse: false,
  omitRefreshTokenOnRefresh: false,
  refreshTokenLifetimeSeconds: undefined,
  errorsWithStatus200: false,
  htmlErrors: false,
  expiredTokenResponse: 401,
  expiredTokenBody: { error: 'invalid_token', error_description: 'The access token expired' },
  tokenLatencyMs: 0,
  failNextTokenRequests: 0,
  failStatus: 503,
  retryAfterSeconds: undefined,
  pkce: 'any',
  clientAuth: 'any',
  sendIssuer: true,
  denyAuthorization: undefined,
  invalidGrantError: 'invalid_grant',
  invalidGrantResponse: undefined,
  apiAuthScheme: 'Bearer',
  apiTokenHeader: undefined,
  tokenType: 'Bearer',
  callbackExtras: {},
  callbackHmac: undefined,
  tokenExtras: {},
  discovery: [],
  introspection: {},
});

interface CodeGrant {
  readonly redirectUri: string;
  readonly challenge: string | undefined;
  readonly method: string | undefined;
  readonly scope: string;
  used: boolean;
}

function token(prefix: string): string {
  return `${prefix}_${randomBytes(18).toString('base64url')}`;
}

function zeroCounts(): SimulatorCounts {
  return {
    authorize: 0,
    token: 0,
    refreshPath: 0,
    authorizationCode: 0,
    refreshToken: 0,
    invalidGrant: 0,
    invalidClient: 0,
    injectedFailures: 0,
    api: 0,
    apiRejected: 0,
    discovery: 0,
    retiredByReplacement: 0,
    introspection: 0,
  };
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts an OAuth 2 provider simulator on `127.0.0.1:0`: an authorise endpoint that consents at
 * once (redirecting to the callback with `code`, `state` and `iss`), a token endpoint (code and
 * refresh grants, PKCE, client authentication), an optional separate refresh endpoint, a
 * protected JSON API under `/api`, a discovery endpoint (`/connections`, Xero; `/oauth/token/
 * accessible-resources`, Atlassian) and a token introspection endpoint (`POST /introspect`, RFC
 * 7662; HubSpot's token metadata). Its quirks are switches ({@link SimulatorQuirks}) and every
 * request is counted, so connector authors can test their definitions against the odd providers
 * they meet, without a network.
 *
 * @example
 * ```ts
 * const sim = await startProviderSimulator({ quirks: { tokenFormat: 'form', expiry: 'string' } });
 * // definition urls: { authorise: sim.authorizationUrl, token: sim.tokenUrl }
 * sim.expireAccessTokens();
 * console.log(sim.counts.refreshToken);
 * await sim.close();
 * ```
 */
export async function startProviderSimulator(
  options: ProviderSimulatorOptions = {},
): Promise<ProviderSimulator> {
  const clientId = options.clientId ?? 'sim-client';
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const now = options.now ?? Date.now;
  const quirks: SimulatorQuirks = { ...DEFAULT_SIMULATOR_QUIRKS, ...options.quirks };
  let counts = zeroCounts();
  const requests: SimulatorRequest[] = [];
  const codes = new Map<string, CodeGrant>();
  const accessTokens = new Map<string, number>(); // token → expires at (epoch ms)
  // grantedAt: the consent that started the grant (epoch ms), kept across refreshes;
  // `replaces`: the refresh token this one retires on its first use (lazy retirement).
  const refreshTokens = new Map<
    string,
    { scope: string; valid: boolean; grantedAt: number; replaces?: string | undefined }
  >();
  let issuer = '';

  const log = (
    req: IncomingMessage,
    path: string,
    status: number,
    grant?: string,
    form?: URLSearchParams,
  ): void => {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      const secret = key === 'authorization' || key === quirks.apiTokenHeader?.toLowerCase();
      headers[key] = secret ? '[redacted]' : Array.isArray(value) ? value.join(', ') : value;
    }
    const params: Record<string, string> = {};
    for (const [key, value] of form ?? [])
      params[key] = SECRET_PARAMS.has(key) ? '[redacted]' : value;
    const auth = req.headers.authorization?.startsWith('Basic ')
      ? 'client_secret_basic'
      : form?.has('client_secret')
        ? 'client_secret_post'
        : 'none';
    requests.push({
      method: req.method ?? 'GET',
      path,
      status,
      headers,
      params,
      ...(grant === undefined ? {} : { grant }),
      ...(form === undefined ? {} : { clientAuth: auth }),
    });
  };

  type TokenFields = Record<string, string | number | readonly string[]>;

  function issue(scope: string, withRefresh: string | undefined): TokenFields {
    const access = token('at');
    const expiresAt = now() + quirks.accessTokenTtlSeconds * 1000;
    accessTokens.set(access, expiresAt);
    const fields: TokenFields = { [quirks.accessTokenField]: access };
    if (quirks.tokenType !== undefined) fields['token_type'] = quirks.tokenType;
    if (scope !== '') fields['scope'] = scope;
    if (quirks.expiry === 'number') fields[quirks.expiresInField] = quirks.accessTokenTtlSeconds;
    if (quirks.expiry === 'string')
      fields[quirks.expiresInField] = String(quirks.accessTokenTtlSeconds);
    if (quirks.expiry === 'expires_at') fields['expires_at'] = Math.floor(expiresAt / 1000);
    if (withRefresh !== undefined) fields[quirks.refreshTokenField] = withRefresh;
    return { ...fields, ...quirks.tokenExtras };
  }

  function send(res: ServerResponse, status: number, fields: TokenFields): void {
    const body: Record<string, unknown> =
      quirks.nestUnder === undefined ? fields : { [quirks.nestUnder]: fields };
    if (quirks.tokenFormat === 'form' && quirks.nestUnder === undefined) {
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(fields))
        form.set(key, Array.isArray(value) ? value.join(' ') : String(value));
      res.writeHead(status, {
        'content-type': 'application/x-www-form-urlencoded',
        'cache-control': 'no-store',
      });
      res.end(form.toString());
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  }

  function fail(
    res: ServerResponse,
    status: number,
    error: string,
    description: string,
    rawBody: string,
    extraHeaders: Record<string, string> = {},
    oauthError = true,
  ): void {
    if (quirks.htmlErrors) {
      // Deliberately careless, like real gateways: the page echoes what was sent.
      res.writeHead(status, { 'content-type': 'text/html', ...extraHeaders });
      res.end(
        `<!doctype html><html><head><title>Error ${status}</title><style>body{}</style></head><body><h1>${error}</h1><p>${description}</p><pre>${rawBody}</pre></body></html>`,
      );
      return;
    }
    const fields = { error, error_description: description };
    const finalStatus = quirks.errorsWithStatus200 && oauthError ? 200 : status;
    if (quirks.tokenFormat === 'form') {
      res.writeHead(finalStatus, {
        'content-type': 'application/x-www-form-urlencoded',
        ...extraHeaders,
      });
      res.end(new URLSearchParams(fields).toString());
      return;
    }
    res.writeHead(finalStatus, { 'content-type': 'application/json', ...extraHeaders });
    res.end(JSON.stringify(fields));
  }

  function authorize(req: IncomingMessage, res: ServerResponse, url: URL): void {
    counts.authorize += 1;
    const q = url.searchParams;
    const redirectUri = q.get('redirect_uri') ?? '';
    const known = options.redirectUris === undefined || options.redirectUris.includes(redirectUri);
    if (q.get('client_id') !== clientId || redirectUri === '' || !known) {
      // RFC 6749 §4.1.2.1: never redirect to an unverified URI.
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('invalid client_id or redirect_uri');
      log(req, url.pathname, 400);
      return;
    }
    const target = new URL(redirectUri);
    const state = q.get('state');
    if (state !== null) target.searchParams.set('state', state);
    if (quirks.sendIssuer) target.searchParams.set('iss', issuer);
    for (const [key, value] of Object.entries(quirks.callbackExtras)) {
      target.searchParams.set(key, value);
    }
    const challenge = q.get('code_challenge') ?? undefined;
    const method =
      q.get('code_challenge_method') ?? (challenge === undefined ? undefined : 'plain');
    let error: [string, string] | undefined;
    if (q.get('response_type') !== 'code')
      error = ['unsupported_response_type', 'only code is supported'];
    else if (quirks.pkce !== 'off' && challenge === undefined)
      error = ['invalid_request', 'PKCE code_challenge is required'];
    else if (quirks.pkce === 'S256' && method !== 'S256')
      error = ['invalid_request', 'code_challenge_method must be S256'];
    else if (quirks.denyAuthorization !== undefined)
      error = [quirks.denyAuthorization, 'The user denied access'];
    if (error !== undefined) {
      target.searchParams.set('error', error[0]);
      target.searchParams.set('error_description', error[1]);
    } else {
      const code = token('code');
      codes.set(code, { redirectUri, challenge, method, scope: q.get('scope') ?? '', used: false });
      target.searchParams.set('code', code);
    }
    if (quirks.callbackHmac !== undefined) {
      target.searchParams.delete(quirks.callbackHmac);
      const message = [...target.searchParams]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => `${key}=${value}`)
        .join('&');
      const hmac = createHmac('sha256', clientSecret).update(message).digest('hex');
      target.searchParams.set(quirks.callbackHmac, hmac);
    }
    res.writeHead(302, { location: target.href });
    res.end();
    log(req, url.pathname, 302);
  }

  function clientOk(req: IncomingMessage, form: URLSearchParams): boolean {
    const header = req.headers.authorization;
    let id: string | undefined;
    let secret: string | undefined;
    let method: string;
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
      id = decode(decoded.slice(0, colon));
      secret = decode(decoded.slice(colon + 1));
      method = 'client_secret_basic';
    } else if (form.has('client_secret')) {
      id = form.get('client_id') ?? undefined;
      secret = form.get('client_secret') ?? undefined;
      method = 'client_secret_post';
    } else {
      id = form.get('client_id') ?? undefined;
      method = 'none';
    }
    if (quirks.clientAuth !== 'any' && quirks.clientAuth !== method) return false;
    if (id !== clientId) return false;
    return method === 'none' || (secret !== undefined && same(secret, clientSecret));
  }

  async function tokenEndpoint(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> {
    const raw = await readBody(req);
    const form = new URLSearchParams(raw);
    const isRefreshPath = path === '/refresh';
    if (isRefreshPath) counts.refreshPath += 1;
    else counts.token += 1;
    const refreshGrant = form.get(quirks.refreshGrantParam) === 'refresh_token';
    const grant = refreshGrant ? 'refresh_token' : (form.get('grant_type') ?? '');
    if (quirks.tokenLatencyMs > 0) await sleep(quirks.tokenLatencyMs);
    if (quirks.failNextTokenRequests > 0) {
      quirks.failNextTokenRequests -= 1;
      counts.injectedFailures += 1;
      const headers: Record<string, string> =
        quirks.retryAfterSeconds === undefined
          ? {}
          : { 'retry-after': String(quirks.retryAfterSeconds) };
      fail(
        res,
        quirks.failStatus,
        'temporarily_unavailable',
        'try again later',
        raw,
        headers,
        false,
      );
      log(req, path, quirks.failStatus, grant, form);
      return;
    }
    await options.beforeTokenRequest?.(grant);
    const refuse = (status: number, kind: string, description: string): void => {
      // A refused grant is counted by kind and told in the provider's own dialect.
      const error = kind === 'invalid_grant' ? quirks.invalidGrantError : kind;
      if (kind === 'invalid_grant') counts.invalidGrant += 1;
      const dead = quirks.invalidGrantResponse;
      if (kind === 'invalid_grant' && grant === 'refresh_token' && dead !== undefined) {
        res.writeHead(dead.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(dead.body));
        log(req, path, dead.status, grant, form);
        return;
      }
      if (error === 'invalid_client') counts.invalidClient += 1;
      fail(
        res,
        status,
        error,
        description,
        raw,
        status === 401 ? { 'www-authenticate': 'Basic realm="sim"' } : {},
      );
      log(req, path, quirks.errorsWithStatus200 && !quirks.htmlErrors ? 200 : status, grant, form);
    };
    if (!clientOk(req, form)) return refuse(401, 'invalid_client', 'client authentication failed');

    if (grant === 'authorization_code') {
      if (isRefreshPath) return refuse(400, 'unsupported_grant_type', 'this path only refreshes');
      const code = form.get('code') ?? '';
      const saved = codes.get(code);
      if (saved === undefined || saved.used) {
        return refuse(400, 'invalid_grant', 'the code is invalid, expired or used');
      }
      saved.used = true;
      if (form.get('redirect_uri') !== saved.redirectUri) {
        return refuse(400, 'invalid_grant', 'redirect_uri does not match');
      }
      if (saved.challenge !== undefined) {
        const verifier = form.get('code_verifier') ?? '';
        const expected =
          saved.method === 'S256'
            ? createHash('sha256').update(verifier).digest('base64url')
            : verifier;
        if (verifier === '' || !same(expected, saved.challenge)) {
          return refuse(400, 'invalid_grant', 'PKCE verification failed');
        }
      }
      counts.authorizationCode += 1;
      const refresh = token('rt');
      refreshTokens.set(refresh, { scope: saved.scope, valid: true, grantedAt: now() });
      send(res, 200, issue(saved.scope, refresh));
      log(req, path, 200, grant, form);
      return;
    }
    if (grant === 'refresh_token') {
      if (quirks.separateRefreshUrl && !isRefreshPath) {
        return refuse(400, 'unsupported_grant_type', 'refresh at /refresh');
      }
      const presented = form.get('refresh_token') ?? '';
      const saved = refreshTokens.get(presented);
      if (saved === undefined || !saved.valid) {
        return refuse(400, 'invalid_grant', 'the refresh token is invalid or was already used');
      }
      const lifetime = quirks.refreshTokenLifetimeSeconds;
      if (lifetime !== undefined && now() >= saved.grantedAt + lifetime * 1000) {
        return refuse(400, 'invalid_grant', 'the refresh token expired');
      }
      counts.refreshToken += 1;
      // The first use of a replacement retires the token it replaced.
      const replaced = saved.replaces === undefined ? undefined : refreshTokens.get(saved.replaces);
      if (replaced !== undefined) {
        if (replaced.valid) counts.retiredByReplacement += 1;
        replaced.valid = false;
        saved.replaces = undefined;
      }
      let next: string | undefined = presented;
      if (quirks.rotateRefreshTokens) {
        const lazy = quirks.retireRefreshTokenOnReplacementUse;
        if (!lazy) saved.valid = false;
        next = token('rt');
        refreshTokens.set(next, {
          scope: saved.scope,
          valid: true,
          grantedAt: saved.grantedAt,
          replaces: lazy ? presented : undefined,
        });
      }
      send(res, 200, issue(saved.scope, quirks.omitRefreshTokenOnRefresh ? undefined : next));
      log(req, path, 200, grant, form);
      return;
    }
    return refuse(400, 'unsupported_grant_type', `grant "${grant}" is not supported`);
  }

  // RFC 7662 §2: the client authenticates as at the token endpoint; the answer is `active` and,
  // for a live access token, what the provider tells about it.
  async function introspect(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<void> {
    counts.introspection += 1;
    const form = new URLSearchParams(await readBody(req));
    if (!clientOk(req, form)) {
      fail(res, 401, 'invalid_client', 'client authentication failed', '', {}, false);
      log(req, path, 401, undefined, form);
      return;
    }
    const live = verify(form.get('token') ?? '');
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(live ? { active: true, ...quirks.introspection } : { active: false }));
    log(req, path, 200, undefined, form);
  }

  async function api(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const isDiscovery = DISCOVERY_PATHS.has(url.pathname);
    if (isDiscovery) counts.discovery += 1;
    else counts.api += 1;
    const raw = await readBody(req);
    let presented: string | undefined;
    if (quirks.apiTokenHeader !== undefined) {
      const value = req.headers[quirks.apiTokenHeader.toLowerCase()];
      presented = typeof value === 'string' ? value.trim() : undefined;
    } else {
      const [scheme = '', ...rest] = (req.headers.authorization ?? '').split(' ');
      const token = rest.join(' ').trim();
      if (scheme.toLowerCase() === quirks.apiAuthScheme.toLowerCase()) presented = token;
    }
    const live = presented !== undefined && presented !== '' && verify(presented);
    if (live && isDiscovery) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(quirks.discovery));
      log(req, url.pathname, 200);
      return;
    }
    if (!live) {
      counts.apiRejected += 1;
      const rejection = quirks.expiredTokenResponse;
      const status = rejection === '200-error' ? 200 : rejection;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (rejection === 401 && quirks.apiTokenHeader === undefined) {
        headers['www-authenticate'] =
          'Bearer realm="sim", error="invalid_token", error_description="expired"';
      }
      res.writeHead(status, headers);
      res.end(JSON.stringify(quirks.expiredTokenBody));
      log(req, url.pathname, status);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: raw,
      }),
    );
    log(req, url.pathname, 200);
  }

  function verify(accessToken: string): boolean {
    const expiresAt = accessTokens.get(accessToken);
    return expiresAt !== undefined && expiresAt > now();
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = async (): Promise<void> => {
      if (req.method === 'GET' && url.pathname === '/authorize') return authorize(req, res, url);
      if (req.method === 'POST' && (url.pathname === '/token' || url.pathname === '/refresh'))
        return tokenEndpoint(req, res, url.pathname);
      if (req.method === 'POST' && url.pathname === '/introspect')
        return introspect(req, res, url.pathname);
      if (
        url.pathname === '/api' ||
        url.pathname.startsWith('/api/') ||
        (options.apiPaths ?? []).some((prefix) => url.pathname.startsWith(prefix)) ||
        (req.method === 'GET' && DISCOVERY_PATHS.has(url.pathname))
      )
        return api(req, res, url);
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      log(req, url.pathname, 404);
    };
    route().catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  issuer = `http://127.0.0.1:${port}`;

  return {
    issuer,
    authorizationUrl: `${issuer}/authorize`,
    tokenUrl: `${issuer}/token`,
    refreshUrl: `${issuer}/refresh`,
    apiUrl: `${issuer}/api`,
    discoveryUrl: `${issuer}/connections`,
    introspectionUrl: `${issuer}/introspect`,
    clientId,
    clientSecret,
    quirks,
    get counts() {
      return counts;
    },
    requests,
    setQuirks(next) {
      Object.assign(quirks, next);
    },
    verifyAccessToken: verify,
    expireAccessTokens() {
      const past = now() - 1;
      for (const key of accessTokens.keys()) accessTokens.set(key, past);
    },
    revokeRefreshTokens() {
      for (const saved of refreshTokens.values()) saved.valid = false;
    },
    issueCode(redirectUri) {
      const code = token('code');
      codes.set(code, {
        redirectUri,
        challenge: undefined,
        method: undefined,
        scope: '',
        used: false,
      });
      return code;
    },
    resetCounts() {
      counts = zeroCounts();
      requests.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
