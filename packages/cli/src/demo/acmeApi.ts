import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link startAcmeApi}. */
export interface AcmeApiOptions {
  /** True when `token` is an access token the authorization server issued and still honours. */
  readonly verifyAccessToken: (token: string) => Promise<boolean>;
  /** The one API token the token method accepts (`X-Acme-Token`). */
  readonly apiToken: string;
  readonly host?: string;
  readonly port?: number;
}

/** What the API served, so the demo can show refresh and replay from the server's side. */
export interface AcmeApiCounters {
  /** Requests answered with a 2xx. */
  ok: number;
  /** Requests refused with 401 (expired or unknown token). */
  rejected: number;
}

/** A running Acme API. */
export interface AcmeApi {
  /** Origin, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly counters: AcmeApiCounters;
  close(): Promise<void>;
}

const PRODUCTS = [
  { id: 'p-100', name: 'Anvil', price: 120 },
  { id: 'p-200', name: 'Rocket skates', price: 450 },
  { id: 'p-300', name: 'Giant magnet', price: 80 },
];
const CUSTOMERS = [
  { id: 'c-1', name: 'Wile E. Coyote' },
  { id: 'c-2', name: 'Road Runner Ltd.' },
];
const ORDERS = [
  { id: 'o-1', customer: 'c-1', product: 'p-100', status: 'open' },
  { id: 'o-2', customer: 'c-1', product: 'p-200', status: 'shipped' },
  { id: 'o-3', customer: 'c-2', product: 'p-300', status: 'open' },
];

type Caller = 'oauth' | 'token';

/**
 * Starts the demo's Acme API on loopback: `/{account}/products` for both methods,
 * `/{account}/customers` only for OAuth 2 bearer tokens, `/{account}/orders` only for the API
 * token, `/{account}/me` for the token check. An unknown or expired bearer token gets a 401 with
 * `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1), which is what makes Splice
 * refresh and replay.
 *
 * @example
 * ```ts
 * const api = await startAcmeApi({ verifyAccessToken: async (t) => t === 'ok', apiToken: 'k' });
 * await fetch(`${api.url}/northwind/products`, { headers: { 'X-Acme-Token': 'k' } });
 * await api.close();
 * ```
 */
export async function startAcmeApi(options: AcmeApiOptions): Promise<AcmeApi> {
  const counters: AcmeApiCounters = { ok: 0, rejected: 0 };
  const send = (res: ServerResponse, status: number, body: unknown, headers = {}): void => {
    if (status >= 200 && status < 300) counters.ok += 1;
    if (status === 401) counters.rejected += 1;
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const authenticate = async (req: IncomingMessage): Promise<Caller | undefined> => {
    const apiToken = req.headers['x-acme-token'];
    if (typeof apiToken === 'string') {
      const given = Buffer.from(apiToken);
      const expected = Buffer.from(options.apiToken);
      return given.length === expected.length && timingSafeEqual(given, expected)
        ? 'token'
        : undefined;
    }
    const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (match !== null && (await options.verifyAccessToken(match[1]!))) return 'oauth';
    return undefined;
  };
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://acme.local');
    const [account, resource, id] = url.pathname.split('/').slice(1).map(decodeURIComponent);
    const caller = await authenticate(req);
    if (caller === undefined) {
      send(
        res,
        401,
        { error: 'invalid_token' },
        {
          'www-authenticate': 'Bearer error="invalid_token"',
        },
      );
      return;
    }
    const forbidden = (): void =>
      send(res, 403, { error: 'forbidden', message: `${resource} is not open to ${caller}` });
    if (resource === 'me' && req.method === 'GET') return send(res, 200, { account, caller });
    if (resource === 'products' && req.method === 'GET') {
      if (id !== undefined) {
        const product = PRODUCTS.find((p) => p.id === id);
        return product === undefined
          ? send(res, 404, { error: 'not_found' })
          : send(res, 200, product);
      }
      const limit = Number(url.searchParams.get('limit') ?? PRODUCTS.length);
      return send(res, 200, { account, items: PRODUCTS.slice(0, limit) });
    }
    if (resource === 'customers') {
      if (caller !== 'oauth') return forbidden();
      if (req.method === 'GET') return send(res, 200, { account, items: CUSTOMERS });
      if (req.method === 'POST') {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { name?: string };
        return send(res, 201, { id: `c-${Date.now().toString(36)}`, name: body.name ?? '' });
      }
    }
    if (resource === 'orders' && req.method === 'GET') {
      if (caller !== 'token') return forbidden();
      const status = url.searchParams.get('status');
      const items = ORDERS.filter((o) => status === null || o.status === status);
      return send(res, 200, { account, items });
    }
    send(res, 404, { error: 'not_found' });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, { error: 'server_error' }));
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counters,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
