import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A credential the API takes besides a bearer token: an API key in a header or in a query
 * parameter.
 */
export type ResourceServerKey = {
  /** How records and handlers name a request let in by this key, e.g. `token`. */
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

/** One request as the resource server received it. Holds credentials: assert, never print. */
export interface ResourceServerRequest {
  readonly method: string;
  readonly path: string;
  /** Path and query exactly as sent, still percent-encoded. */
  readonly target: string;
  readonly query: Record<string, string>;
  /** Header values as sent (repeated headers joined with `, `), names in lower case. */
  readonly headers: Record<string, string>;
  /** The body as text; `''` when there was none. */
  readonly text: string;
  /** The body parsed by its content type: JSON, form fields, or the text; undefined when empty. */
  readonly body: unknown;
  /** Values of the `:name` segments of the route that answered. */
  readonly params: Record<string, string>;
  /** Whether the credential check let the request in. */
  readonly accepted: boolean;
  /** What let it in: `bearer`, a key's `name`, or undefined (refused, or no check configured). */
  readonly credential: string | undefined;
}

/** A route's answer: sent as JSON. */
export interface ResourceServerAnswer {
  /** Default 200. */
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialized with `JSON.stringify`; no body when undefined. */
  readonly body?: unknown;
}

/**
 * Answers the requests of one route. Returns the answer, or nothing when it wrote `response`
 * itself (a redirect, a reset socket, a late or malformed answer).
 */
export type ResourceServerHandler = (
  request: ResourceServerRequest,
  response: ServerResponse,
) => ResourceServerAnswer | undefined | Promise<ResourceServerAnswer | undefined>;

/** Options of {@link startResourceServer}. */
export interface ResourceServerOptions {
  /**
   * Decides whether a bearer token (`Authorization: Bearer …`) is good; a falsy result or a throw
   * refuses it. Typically `authorizationServer.verifyAccessToken` or `simulator.verifyAccessToken`.
   */
  readonly verify?: (token: string) => unknown;
  /** Further credentials the API takes (API keys); the first one a request carries and passes wins. */
  readonly keys?: readonly ResourceServerKey[];
  /** Status for refused credentials; default 401. Some APIs answer 403. */
  readonly rejectStatus?: number;
  /**
   * Answers by route instead of the echo, e.g. `'GET /:account/products'`: a method (or `*`) and
   * a path whose `:name` segments match any one segment and whose final `*` matches the rest.
   * Once any route exists, a request no route matches gets `404 {"error":"not_found"}`.
   */
  readonly routes?: Readonly<Record<string, ResourceServerHandler>>;
}

/** The echo a request gets when no route is configured: what the server saw, credentials redacted. */
export interface ResourceServerEcho {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  /** The request body: parsed JSON, form fields, or raw text. */
  readonly body: unknown;
  /** What let the request in (`bearer` or a key's name), when a check is configured. */
  readonly credential?: string;
}

/** Requests the resource server answered. */
export interface ResourceServerCounts {
  requests: number;
  accepted: number;
  /** Refused by the credential check. */
  rejected: number;
}

/** A running resource server; see {@link startResourceServer}. */
export interface ResourceServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly counts: ResourceServerCounts;
  /** Every request, accepted or refused, oldest first. */
  readonly requests: readonly ResourceServerRequest[];
  /** Every credential value requests presented, accepted or not: for scans that prove none leaked. */
  readonly credentialsSeen: ReadonlySet<string>;
  /** Adds a route, or replaces the handler of an existing one, while the server runs. */
  route(pattern: string, handler: ResourceServerHandler): void;
  /** Forgets the recorded requests, counts and credentials (routes stay). */
  reset(): void;
  close(): Promise<void>;
}

const REDACTED = '[redacted]';

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  handler: ResourceServerHandler;
}

function parseRoute(pattern: string, handler: ResourceServerHandler): Route {
  const match = /^(\*|[A-Z]+) (\/\S*)$/.exec(pattern);
  if (match === null) {
    throw Object.assign(
      new TypeError(
        `Route "${pattern}" must be a method (or *) and a path: "GET /:account/items".`,
      ),
      { code: 'INVALID_OPTION' },
    );
  }
  return { method: match[1]!, segments: match[2]!.split('/').slice(1), handler };
}

function matchRoute(
  route: Route,
  method: string,
  path: string,
): Record<string, string> | undefined {
  if (route.method !== '*' && route.method !== method) return undefined;
  const parts = path.split('/').slice(1);
  const params: Record<string, string> = {};
  for (const [index, segment] of route.segments.entries()) {
    if (segment === '*' && index === route.segments.length - 1) return params;
    const part = parts[index];
    if (part === undefined) return undefined;
    if (segment.startsWith(':')) params[segment.slice(1)] = decodeURIComponent(part);
    else if (segment !== part) return undefined;
  }
  return parts.length === route.segments.length ? params : undefined;
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

async function passes(
  accept: ResourceServerKey['accept'] | ((token: string) => unknown),
  value: string,
): Promise<boolean> {
  if (typeof accept !== 'function') return accept.some((expected) => sameSecret(value, expected));
  try {
    return Boolean(await accept(value));
  } catch {
    return false;
  }
}

/**
 * Starts a JSON API on `127.0.0.1:0` that checks credentials the way providers' APIs do: a bearer
 * token (`verify`) and any API keys in headers or query parameters (`keys`). A request without a
 * credential that passes gets `401` (or `rejectStatus`) with `WWW-Authenticate: Bearer`, plus
 * `error="invalid_token"` when it carried one (RFC 6750 §3.1), which is what makes Splice refresh
 * and replay; with neither `verify` nor `keys` every request is let in. Accepted requests go to
 * the first matching route, or without routes get a JSON echo of method, path, query, headers and
 * body with the credentials redacted. Every request is recorded (credentials included, for
 * assertions) and counted.
 *
 * @example
 * ```ts
 * const api = await startResourceServer({
 *   verify: (token) => auth.verifyAccessToken(token),
 *   keys: [{ name: 'token', header: 'x-acme-token', accept: [apiToken] }],
 *   routes: {
 *     'GET /:account/orders': ({ params, credential }) =>
 *       credential === 'token' ? { body: { account: params.account, items: [] } } : { status: 403 },
 *   },
 * });
 * // GET `${api.url}/northwind/orders` with `X-Acme-Token: <apiToken>` → 200
 * await api.close();
 * ```
 */
export async function startResourceServer(
  options: ResourceServerOptions = {},
): Promise<ResourceServer> {
  const counts: ResourceServerCounts = { requests: 0, accepted: 0, rejected: 0 };
  const requests: ResourceServerRequest[] = [];
  const credentialsSeen = new Set<string>();
  const routes = Object.entries(options.routes ?? {}).map(([pattern, handler]) =>
    parseRoute(pattern, handler),
  );
  const patterns = Object.keys(options.routes ?? {});
  const keys = options.keys ?? [];
  const checked = options.verify !== undefined || keys.length > 0;

  // The credentials a request carries, in the order they are tried: bearer first, then the keys.
  const credentialsOf = (
    req: IncomingMessage,
    url: URL,
  ): {
    name: string;
    value: string;
    accept: ResourceServerKey['accept'] | ((t: string) => unknown);
  }[] => {
    const found = [];
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined && options.verify !== undefined) {
      found.push({ name: 'bearer', value: bearer, accept: options.verify });
    } else if (bearer !== undefined) {
      credentialsSeen.add(bearer);
    }
    for (const key of keys) {
      const raw =
        'header' in key ? req.headers[key.header.toLowerCase()] : url.searchParams.get(key.query);
      const value = Array.isArray(raw) ? raw.join(', ') : raw;
      if (typeof value === 'string') found.push({ name: key.name, value, accept: key.accept });
    }
    return found;
  };

  const echo = (request: ResourceServerRequest): ResourceServerEcho => {
    const headers = { ...request.headers };
    if (headers['authorization'] !== undefined) headers['authorization'] = REDACTED;
    const query = { ...request.query };
    for (const key of keys) {
      if ('header' in key && headers[key.header.toLowerCase()] !== undefined)
        headers[key.header.toLowerCase()] = REDACTED;
      if ('query' in key && query[key.query] !== undefined) query[key.query] = REDACTED;
    }
    return {
      method: request.method,
      path: request.path,
      query,
      headers,
      body: request.body,
      ...(request.credential === undefined ? {} : { credential: request.credential }),
    };
  };

  const send = (res: ServerResponse, answer: ResourceServerAnswer): void => {
    res.writeHead(answer.status ?? 200, {
      ...(answer.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...answer.headers,
    });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counts.requests += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const target = req.url ?? '/';
    const url = new URL(target, 'http://127.0.0.1');
    const method = req.method ?? 'GET';

    const presented = credentialsOf(req, url);
    let credential: string | undefined;
    for (const candidate of presented) {
      credentialsSeen.add(candidate.value);
      if (credential === undefined && (await passes(candidate.accept, candidate.value)))
        credential = candidate.name;
    }
    const accepted = !checked || credential !== undefined;

    let route: Route | undefined;
    let params: Record<string, string> = {};
    for (const candidate of routes) {
      const matched = matchRoute(candidate, method, url.pathname);
      if (matched !== undefined) {
        route = candidate;
        params = matched;
        break;
      }
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const request: ResourceServerRequest = {
      method,
      path: url.pathname,
      target,
      query: Object.fromEntries(url.searchParams),
      headers,
      text,
      body: parseBody(text, req.headers['content-type']),
      params,
      accepted,
      credential,
    };
    requests.push(request);

    if (!accepted) {
      counts.rejected += 1;
      send(res, {
        status: options.rejectStatus ?? 401,
        headers: {
          'www-authenticate':
            presented.length === 0
              ? 'Bearer realm="splice-test"'
              : 'Bearer realm="splice-test", error="invalid_token", error_description="The access token is invalid or expired"',
        },
        body: { error: 'invalid_token' },
      });
      return;
    }
    counts.accepted += 1;
    if (route === undefined) {
      send(
        res,
        routes.length === 0
          ? { body: echo(request) }
          : { status: 404, body: { error: 'not_found' } },
      );
      return;
    }
    const answer = await route.handler(request, res);
    if (answer !== undefined) send(res, answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end('{"error":"server_error"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    requests,
    credentialsSeen,
    route(pattern, handler) {
      const index = patterns.indexOf(pattern);
      if (index >= 0) {
        routes[index]!.handler = handler;
        return;
      }
      patterns.push(pattern);
      routes.push(parseRoute(pattern, handler));
    },
    reset() {
      requests.length = 0;
      credentialsSeen.clear();
      counts.requests = 0;
      counts.accepted = 0;
      counts.rejected = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
