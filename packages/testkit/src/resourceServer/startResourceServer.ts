import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A credential the API takes besides a bearer token: an API key in a header (any header,
 * `Authorization: Basic …` included) or in a query parameter.
 */
export type ResourceServerKey = {
  /** How the echo names a request let in by this key, e.g. `token`. */
  readonly name: string;
  /** The accepted values (compared in constant time), or a check: a falsy result refuses. */
  readonly accept: readonly string[] | ((value: string) => unknown);
} & (
  | {
      /** The header that carries the key, e.g. `x-api-key`. */
      readonly header: string;
    }
  | {
      /** The query parameter that carries the key, e.g. `api_key`. */
      readonly query: string;
    }
);

/** Options of {@link startResourceServer}. */
export interface ResourceServerOptions {
  /**
   * Decides whether a bearer token is good; a falsy result is a 401 with
   * `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1). Typically
   * `authorizationServer.verifyAccessToken` or `simulator.verifyAccessToken`.
   */
  readonly verify?: (token: string) => unknown;
  /** Further credentials the API takes (API keys); the first one a request carries and passes wins. */
  readonly keys?: readonly ResourceServerKey[];
  /** Status for rejected tokens; default 401. Some APIs answer 403. */
  readonly rejectStatus?: number;
}

/** What the resource server saw of one accepted request; also its JSON response body. */
export interface ResourceServerEcho {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  /** The request body: parsed JSON, form fields, or raw text. */
  readonly body: unknown;
  /** What let the request in: `bearer` or a key's name. */
  readonly credential?: string;
}

/** Requests the resource server answered. */
export interface ResourceServerCounts {
  requests: number;
  accepted: number;
  rejected: number;
}

/** A running resource server; see {@link startResourceServer}. */
export interface ResourceServer {
  /** `http://127.0.0.1:<port>`; any path works. */
  readonly url: string;
  readonly counts: ResourceServerCounts;
  /** Every accepted request, oldest first. */
  readonly requests: readonly ResourceServerEcho[];
  close(): Promise<void>;
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === '') return undefined;
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  if (contentType?.includes('x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(raw));
  return raw;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function passes(accept: ResourceServerKey['accept'], value: string): Promise<boolean> {
  if (typeof accept !== 'function') return accept.some((expected) => sameSecret(value, expected));
  try {
    return Boolean(await accept(value));
  } catch {
    return false;
  }
}

/**
 * Starts a JSON API on `127.0.0.1:0` that checks credentials the way providers' APIs do: a bearer
 * token (`verify`) and any API keys in headers or query parameters (`keys`). Requests with a
 * credential that passes get `200` and a JSON echo of method, path, query, headers, body and
 * which credential let them in; others get `401` (or `rejectStatus`) with `WWW-Authenticate:
 * Bearer error="invalid_token"`. With neither `verify` nor `keys` every request is let in.
 * Requests are counted.
 *
 * @example
 * ```ts
 * const api = await startResourceServer({
 *   verify: (t) => auth.verifyAccessToken(t),
 *   keys: [{ name: 'token', header: 'x-shopify-access-token', accept: [apiToken] }],
 * });
 * // GET `${api.url}/orders` with `Authorization: Bearer <token>` or the API token
 * await api.close();
 * ```
 */
export async function startResourceServer(
  options: ResourceServerOptions = {},
): Promise<ResourceServer> {
  const counts: ResourceServerCounts = { requests: 0, accepted: 0, rejected: 0 };
  const requests: ResourceServerEcho[] = [];
  const server = createServer(async (req, res) => {
    counts.requests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorization = req.headers.authorization ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(authorization);
    const keys = options.keys ?? [];
    const checked = options.verify !== undefined || keys.length > 0;
    let credential: string | undefined;
    if (match?.[1] !== undefined && options.verify !== undefined) {
      if (await passes(options.verify, match[1])) credential = 'bearer';
    }
    for (const key of keys) {
      if (credential !== undefined) break;
      const given =
        'header' in key ? req.headers[key.header.toLowerCase()] : url.searchParams.get(key.query);
      const value = Array.isArray(given) ? given.join(', ') : given;
      if (typeof value === 'string' && (await passes(key.accept, value))) credential = key.name;
    }
    if (checked && credential === undefined) {
      counts.rejected += 1;
      res.writeHead(options.rejectStatus ?? 401, {
        'content-type': 'application/json',
        'www-authenticate':
          match === null
            ? 'Bearer realm="splice-test"'
            : 'Bearer realm="splice-test", error="invalid_token", error_description="The access token is invalid or expired"',
      });
      res.end(JSON.stringify({ error: 'invalid_token' }));
      return;
    }
    counts.accepted += 1;
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
    }
    const echo: ResourceServerEcho = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: parseBody(raw, req.headers['content-type']),
      ...(credential === undefined ? {} : { credential }),
    };
    requests.push(echo);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(echo));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
