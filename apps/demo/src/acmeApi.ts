import { encodeBasicCredentials } from '@splice/strategies/basic';
import type { ResourceServerOptions, ResourceServerRequest } from '@splice/testkit';

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

/** Options of {@link acmeApi}. */
export interface AcmeApiOptions {
  /** True for an access token the authorization server issued and still honours. */
  readonly verifyAccessToken: (token: string) => unknown;
  /** The one API token the token method accepts (`X-Acme-Token`). */
  readonly apiToken: string;
  /** The one user the basic method signs in as (`Authorization: Basic`, RFC 7617). */
  readonly basic: { readonly username: string; readonly password: string };
}

// Gating on the API's side too: customers are an OAuth 2 resource (either grant), orders a token
// resource.
function forbidden(request: ResourceServerRequest, resource: string) {
  return {
    status: 403,
    body: { error: 'forbidden', message: `${resource} is not open to ${request.credential}` },
  };
}

/**
 * The demo's Acme API, as options of the testkit's resource server: it takes the authorization
 * server's bearer tokens (authorization code or client credentials), the API token in
 * `X-Acme-Token` or the Basic user, refuses anything else with `401`
 * and `WWW-Authenticate: Bearer error="invalid_token"` (what makes Splice refresh and replay), and
 * serves `/{account}/products` to every credential, `/{account}/customers` only to OAuth 2 bearer
 * tokens, `/{account}/orders` only to the API token, `/{account}/me` for the token check.
 *
 * @example
 * ```ts
 * const api = await startResourceServer(
 *   acmeApi({ verifyAccessToken: (t) => authServer.verifyAccessToken(t), apiToken, basic }),
 * );
 * ```
 */
export function acmeApi(options: AcmeApiOptions): ResourceServerOptions {
  return {
    verify: options.verifyAccessToken,
    keys: [
      { name: 'token', header: 'x-acme-token', accept: [options.apiToken] },
      {
        name: 'basic',
        header: 'authorization',
        accept: [`Basic ${encodeBasicCredentials(options.basic.username, options.basic.password)}`],
      },
    ],
    routes: {
      'GET /:account/me': ({ params, credential }) => ({
        body: { account: params['account'], caller: credential },
      }),
      'GET /:account/products': ({ params, query }) => {
        const limit = Number(query['limit'] ?? PRODUCTS.length);
        return { body: { account: params['account'], items: PRODUCTS.slice(0, limit) } };
      },
      'GET /:account/products/:id': ({ params }) => {
        const product = PRODUCTS.find((p) => p.id === params['id']);
        return product === undefined
          ? { status: 404, body: { error: 'not_found' } }
          : { body: product };
      },
      'GET /:account/customers': (request) =>
        request.credential === 'bearer'
          ? { body: { account: request.params['account'], items: CUSTOMERS } }
          : forbidden(request, 'customers'),
      'POST /:account/customers': (request) => {
        if (request.credential !== 'bearer') return forbidden(request, 'customers');
        const body = request.body as { name?: string } | undefined;
        return {
          status: 201,
          body: { id: `c-${Date.now().toString(36)}`, name: body?.name ?? '' },
        };
      },
      'GET /:account/orders': (request) => {
        if (request.credential !== 'token') return forbidden(request, 'orders');
        const status = request.query['status'];
        const items = ORDERS.filter((o) => status === undefined || o.status === status);
        return { body: { account: request.params['account'], items } };
      },
    },
  };
}
