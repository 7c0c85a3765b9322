/// <reference path="../types/node-oauth1.d.ts" />
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OAuth from 'node-oauth1';
import { request } from 'undici';

/** A pair of OAuth 1 credentials: an identifier and its shared secret (RFC 5849 §1.1). */
export interface OAuth1Credentials {
  readonly key: string;
  readonly secret: string;
}

/** Options of {@link startOAuth1Provider}. */
export interface OAuth1ProviderOptions {
  /** The client credentials it knows; default one generated pair (`provider.consumer`). */
  readonly consumers?: readonly OAuth1Credentials[];
  /**
   * Token credentials issued outside the redirect flow, as NetSuite's token-based authentication
   * issues them in its UI (`key` is the token id); default one generated pair
   * (`provider.issuedToken`).
   */
  readonly issuedTokens?: readonly OAuth1Credentials[];
  /** Signature methods accepted; default `HMAC-SHA1` and `HMAC-SHA256`. */
  readonly signatureMethods?: readonly string[];
  /** When set, every signed request must carry this `realm` (NetSuite: the account id). */
  readonly realm?: string;
  /** Largest difference between a request's timestamp and the clock, in seconds; default 300. */
  readonly timestampWindowSeconds?: number;
  /** Epoch-millisecond clock the timestamps are judged by; default `Date.now`. */
  readonly now?: () => number;
}

/** Why the provider refused a request (the OAuth Problem Reporting names where one fits). */
export type OAuth1Problem =
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'signature_method_rejected'
  | 'consumer_key_unknown'
  | 'token_rejected'
  | 'signature_invalid'
  | 'nonce_used'
  | 'timestamp_refused'
  | 'realm_mismatch'
  | 'verifier_invalid'
  | 'version_rejected';

/** One request the provider answered, verified or not. Holds no secret. */
export interface OAuth1ProviderRequest {
  readonly method: string;
  readonly path: string;
  /** What the request signed with; undefined when it was not an OAuth request at all. */
  readonly signatureMethod: string | undefined;
  readonly realm: string | undefined;
  readonly token: string | undefined;
  readonly nonce: string | undefined;
  readonly timestamp: string | undefined;
  /** Undefined when the request was accepted. */
  readonly problem: OAuth1Problem | undefined;
}

/** What the protected API echoes for an accepted request. */
export interface OAuth1ProviderEcho {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  /** Form fields, parsed JSON, or the text. */
  readonly body: unknown;
  /** The token credentials' identifier the request was signed with. */
  readonly token: string;
}

/** Requests per endpoint. */
export interface OAuth1ProviderCounts {
  temporaryCredentials: number;
  authorizations: number;
  tokenCredentials: number;
  api: number;
  rejected: number;
}

/** A running OAuth 1 provider; see {@link startOAuth1Provider}. */
export interface OAuth1Provider {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Temporary Credential Request endpoint (RFC 5849 §2.1): `POST {url}/initiate`. */
  readonly temporaryCredentialsUrl: string;
  /** Resource Owner Authorization endpoint (§2.2): `GET {url}/authorize`. */
  readonly authorizationUrl: string;
  /** Token Request endpoint (§2.3): `POST {url}/token`. */
  readonly tokenUrl: string;
  /** The protected API: any method on `{url}/api/...` answers with a JSON echo. */
  readonly apiUrl: string;
  /** The first client credentials. */
  readonly consumer: OAuth1Credentials;
  /** The first pre-issued token credentials. */
  readonly issuedToken: OAuth1Credentials;
  readonly counts: OAuth1ProviderCounts;
  /** Every request, oldest first. */
  readonly requests: readonly OAuth1ProviderRequest[];
  /**
   * Plays the resource owner: opens the authorization URL, approves (or with `deny`, refuses) and
   * returns the callback URL the provider redirected to.
   */
  consent(authorizationUrl: string, options?: { readonly deny?: boolean }): Promise<string>;
  /** Revokes token credentials: later requests signed with them are refused. */
  revoke(token: string): void;
  close(): Promise<void>;
}

interface Temporary {
  readonly secret: string;
  readonly consumer: string;
  readonly callback: string;
  verifier: string | undefined;
}

interface Token {
  readonly secret: string;
  readonly consumer: string | undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly problem: OAuth1Problem,
  ) {
    super(problem);
  }
}

const generate = (bytes: number): string => randomBytes(bytes).toString('base64url');

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

// RFC 5849 §3.5.1: `OAuth name="value", ...`, names and values percent-encoded per §3.6.
function parseAuthorization(header: string | undefined): [string, string][] | undefined {
  const match = /^OAuth\s+(.*)$/is.exec(header ?? '');
  if (match === null) return undefined;
  const params: [string, string][] = [];
  const pattern = /\s*([^=\s,]+)="([^"]*)"\s*(?:,|$)/gy;
  const text = match[1]!;
  let found: RegExpExecArray | null = pattern.exec(text);
  let consumed = 0;
  while (found !== null) {
    params.push([OAuth.decodePercent(found[1]!), OAuth.decodePercent(found[2]!)]);
    consumed = pattern.lastIndex;
    found = pattern.exec(text);
  }
  if (consumed !== text.length) throw new Refusal(400, 'parameter_rejected');
  return params;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function isForm(req: IncomingMessage): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

function parseBody(raw: string, req: IncomingMessage): unknown {
  if (raw === '') return undefined;
  if (isForm(req)) return Object.fromEntries(new URLSearchParams(raw));
  if ((req.headers['content-type'] ?? '').includes('json')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/**
 * Starts an OAuth 1.0a provider on `127.0.0.1:0` (RFC 5849): the three endpoints of the redirect
 * flow (temporary credentials → resource owner authorization → token credentials), pre-issued
 * token credentials (NetSuite token-based authentication), and a protected JSON API. Every signed
 * request is verified as §3.2 requires — signature recomputed, nonce/timestamp/token never used
 * twice, timestamp within a window, `oauth_version` 1.0 when present, the realm when one is set —
 * by an implementation independent of Splice's own signer (Netflix's reference implementation,
 * `node-oauth1`), over the query, the `Authorization` header and a form body (§3.4.1.3).
 * Refusals are 401 (or 400 for malformed requests) with `oauth_problem=…` in the body and the
 * reason recorded in `requests`. Nothing secret is recorded.
 *
 * @example
 * ```ts
 * const provider = await startOAuth1Provider({ realm: '1234567_SB1' });
 * // sign a request with provider.consumer and provider.issuedToken, send it to provider.apiUrl
 * await provider.close();
 * ```
 */
export async function startOAuth1Provider(
  options: OAuth1ProviderOptions = {},
): Promise<OAuth1Provider> {
  const consumers = new Map<string, string>();
  for (const { key, secret } of options.consumers ?? [{ key: generate(12), secret: generate(18) }])
    consumers.set(key, secret);
  const temporary = new Map<string, Temporary>();
  const tokens = new Map<string, Token>();
  for (const { key, secret } of options.issuedTokens ?? [
    { key: generate(24), secret: generate(24) },
  ])
    tokens.set(key, { secret, consumer: undefined });
  const methods = new Set(options.signatureMethods ?? ['HMAC-SHA1', 'HMAC-SHA256']);
  const windowMs = (options.timestampWindowSeconds ?? 300) * 1000;
  const now = options.now ?? Date.now;
  const nonces = new Set<string>();
  const counts: OAuth1ProviderCounts = {
    temporaryCredentials: 0,
    authorizations: 0,
    tokenCredentials: 0,
    api: 0,
    rejected: 0,
  };
  const requests: OAuth1ProviderRequest[] = [];

  // RFC 5849 §3.2. Returns the protocol parameters of a verified request.
  function verify(
    req: IncomingMessage,
    raw: string,
    record: Mutable<OAuth1ProviderRequest>,
    secretOf: (token: string | undefined, consumer: string) => string,
  ): Map<string, string> {
    const header = parseAuthorization(req.headers.authorization);
    if (header === undefined) throw new Refusal(401, 'parameter_absent');
    const protocol = new Map<string, string>();
    let realm: string | undefined;
    for (const [name, value] of header) {
      if (name === 'realm') {
        realm = value;
        continue;
      }
      // §3.1: each parameter appears once.
      if (protocol.has(name)) throw new Refusal(400, 'parameter_rejected');
      protocol.set(name, value);
    }
    record.realm = realm;
    record.signatureMethod = protocol.get('oauth_signature_method');
    record.token = protocol.get('oauth_token');
    record.nonce = protocol.get('oauth_nonce');
    record.timestamp = protocol.get('oauth_timestamp');
    for (const name of [
      'oauth_consumer_key',
      'oauth_signature_method',
      'oauth_signature',
      'oauth_timestamp',
      'oauth_nonce',
    ]) {
      if (!protocol.get(name)) throw new Refusal(400, 'parameter_absent');
    }
    const version = protocol.get('oauth_version');
    if (version !== undefined && version !== '1.0') throw new Refusal(400, 'version_rejected');
    const method = protocol.get('oauth_signature_method')!;
    if (!methods.has(method)) throw new Refusal(400, 'signature_method_rejected');
    if (options.realm !== undefined && realm !== options.realm)
      throw new Refusal(401, 'realm_mismatch');
    const consumer = protocol.get('oauth_consumer_key')!;
    const consumerSecret = consumers.get(consumer);
    if (consumerSecret === undefined) throw new Refusal(401, 'consumer_key_unknown');
    const tokenSecret = secretOf(protocol.get('oauth_token'), consumer);
    const timestamp = protocol.get('oauth_timestamp')!;
    if (!/^\d+$/.test(timestamp) || Math.abs(Number(timestamp) * 1000 - now()) > windowMs)
      throw new Refusal(401, 'timestamp_refused');
    // The base string as the independent implementation builds it from what arrived: the URL as
    // received (query included), the header's parameters but the signature, a form body's fields.
    const parameters: [string, string][] = [...protocol].filter(
      ([name]) => name !== 'oauth_signature',
    );
    if (isForm(req)) {
      for (const [name, value] of OAuth.decodeForm(raw)) parameters.push([name, value ?? '']);
    }
    const baseString = OAuth.SignatureMethod.getBaseString({
      method: req.method ?? 'GET',
      action: `http://${req.headers.host}${req.url}`,
      parameters,
    });
    const expected = OAuth.SignatureMethod.newMethod(method, {
      consumerSecret,
      tokenSecret,
    }).getSignature(baseString);
    if (!same(protocol.get('oauth_signature')!, expected))
      throw new Refusal(401, 'signature_invalid');
    const once = `${consumer}\n${protocol.get('oauth_token') ?? ''}\n${timestamp}\n${protocol.get('oauth_nonce')}`;
    if (nonces.has(once)) throw new Refusal(401, 'nonce_used');
    nonces.add(once);
    return protocol;
  }

  function form(res: ServerResponse, values: Record<string, string>): void {
    res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' });
    res.end(new URLSearchParams(values).toString());
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const record: Mutable<OAuth1ProviderRequest> = {
      method: req.method ?? 'GET',
      path: url.pathname,
      signatureMethod: undefined,
      realm: undefined,
      token: undefined,
      nonce: undefined,
      timestamp: undefined,
      problem: undefined,
    };
    requests.push(record);
    try {
      if (req.method === 'POST' && url.pathname === '/initiate') {
        counts.temporaryCredentials += 1;
        const protocol = verify(req, raw, record, (token) => {
          // §2.1: only the client credentials; the token secret is the empty string.
          if (token !== undefined && token !== '') throw new Refusal(400, 'parameter_rejected');
          return '';
        });
        const callback = protocol.get('oauth_callback');
        if (callback === undefined || (callback !== 'oob' && !URL.canParse(callback)))
          throw new Refusal(400, 'parameter_absent');
        const token = generate(16);
        const secret = generate(24);
        temporary.set(token, {
          secret,
          consumer: protocol.get('oauth_consumer_key')!,
          callback,
          verifier: undefined,
        });
        form(res, {
          oauth_token: token,
          oauth_token_secret: secret,
          oauth_callback_confirmed: 'true',
        });
        return;
      }
      if (req.method === 'GET' && url.pathname === '/authorize') {
        counts.authorizations += 1;
        const token = url.searchParams.get('oauth_token') ?? '';
        const pending = temporary.get(token);
        if (pending === undefined || pending.callback === 'oob') {
          res.writeHead(400, { 'content-type': 'text/plain' });
          res.end('Unknown or used request token.');
          return;
        }
        // §2.2: the OAuth parameters go at the end of the callback's own query.
        const callback = new URL(pending.callback);
        if (url.searchParams.get('decision') === 'deny') {
          temporary.delete(token);
          callback.searchParams.append('denied', token);
        } else {
          pending.verifier = generate(12);
          callback.searchParams.append('oauth_token', token);
          callback.searchParams.append('oauth_verifier', pending.verifier);
        }
        res.writeHead(302, { location: callback.href });
        res.end();
        return;
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        counts.tokenCredentials += 1;
        let pending: Temporary | undefined;
        const protocol = verify(req, raw, record, (token, consumer) => {
          pending = token === undefined ? undefined : temporary.get(token);
          if (pending === undefined || pending.consumer !== consumer)
            throw new Refusal(401, 'token_rejected');
          return pending.secret;
        });
        const verifier = protocol.get('oauth_verifier');
        if (pending?.verifier === undefined || verifier === undefined)
          throw new Refusal(401, 'verifier_invalid');
        if (!same(verifier, pending.verifier)) throw new Refusal(401, 'verifier_invalid');
        // §2.3: temporary credentials are good for one exchange.
        temporary.delete(protocol.get('oauth_token')!);
        const token = generate(24);
        const secret = generate(24);
        tokens.set(token, { secret, consumer: pending.consumer });
        form(res, { oauth_token: token, oauth_token_secret: secret });
        return;
      }
      if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
        counts.api += 1;
        const protocol = verify(req, raw, record, (token, consumer) => {
          const issued = token === undefined ? undefined : tokens.get(token);
          if (
            issued === undefined ||
            (issued.consumer !== undefined && issued.consumer !== consumer)
          )
            throw new Refusal(401, 'token_rejected');
          return issued.secret;
        });
        const echo: OAuth1ProviderEcho = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          body: parseBody(raw, req),
          token: protocol.get('oauth_token')!,
        };
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(echo));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"not_found"}');
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      counts.rejected += 1;
      record.problem = error.problem;
      res.writeHead(error.status, {
        'content-type': 'application/x-www-form-urlencoded',
        ...(error.status === 401 ? { 'www-authenticate': 'OAuth realm="splice-test"' } : {}),
      });
      res.end(`oauth_problem=${error.problem}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const [consumerKey, consumerSecret] = [...consumers][0]!;
  const [tokenKey, issued] = [...tokens][0]!;
  return {
    url: base,
    temporaryCredentialsUrl: `${base}/initiate`,
    authorizationUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    apiUrl: `${base}/api`,
    consumer: { key: consumerKey, secret: consumerSecret },
    issuedToken: { key: tokenKey, secret: issued.secret },
    counts,
    requests,
    async consent(authorizationUrl, consentOptions = {}) {
      const target = new URL(authorizationUrl);
      if (consentOptions.deny === true) target.searchParams.set('decision', 'deny');
      const response = await request(target, { method: 'GET' });
      await response.body.dump();
      const location = response.headers['location'];
      if (response.statusCode !== 302 || typeof location !== 'string') {
        throw new Error(`The authorization page answered ${response.statusCode}, not a redirect.`);
      }
      return location;
    },
    revoke(token) {
      tokens.delete(token);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
