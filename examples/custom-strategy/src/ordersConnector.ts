import { type AuthStrategy, type ConnectorDefinition, parseConnector } from '@splice/core';

/**
 * Where the example connector's parts live.
 *
 * @example
 * ```ts
 * const origins: OrdersConnectorOrigins = { authorise: server.authorizationUrl,
 *   token: server.tokenUrl, login: `${login.url}/login`, api: api.url };
 * ```
 */
export interface OrdersConnectorOrigins {
  /** The OAuth 2 provider's authorise URL. */
  readonly authorise: string;
  /** The OAuth 2 provider's token URL. */
  readonly token: string;
  /** Where the session-login method logs in (`POST` username and password, get a session). */
  readonly login: string;
  /** The API's base URL; endpoints live below `{api}/{{account}}/...`. */
  readonly api: string;
}

/**
 * The seed's example connector: two authentication methods — OAuth 2 authorization code and the
 * custom `session-login` strategy — and endpoints enabled for one, the other, or both:
 *
 * | endpoint      | acme-oauth | acme-session |
 * |---------------|:----------:|:------------:|
 * | `orders`      |            |      ✓       |
 * | `customers`   |     ✓      |              |
 * | `products`    |     ✓      |      ✓       |
 *
 * An OAuth 2 instance is never offered `orders`, and calling it anyway is `ENDPOINT_NOT_ENABLED`.
 * The definition goes through core's `parseConnector`, so the strategies' default variables are
 * merged in and every problem is reported at load time.
 *
 * @example
 * ```ts
 * const connector = ordersConnector(origins, [oauth2AuthorizationCode(), sessionLogin()]);
 * ```
 */
export function ordersConnector(
  origins: OrdersConnectorOrigins,
  strategies: readonly AuthStrategy[],
): ConnectorDefinition {
  return parseConnector(
    {
      id: 'acme',
      name: 'Acme orders',
      version: '1',
      variables: [{ key: 'account', label: 'Account', required: true }],
      authMethods: [
        {
          id: 'acme-oauth',
          name: 'Acme OAuth 2',
          type: 'oauth2-authorization-code',
          timeoutSeconds: 10,
          variables: [
            { key: 'client_id', required: true },
            { key: 'client_secret', required: true, secret: true },
            { key: 'scope', default: 'openid offline_access api.read' },
          ],
          urls: { authorise: origins.authorise, token: origins.token },
        },
        {
          id: 'acme-session',
          name: 'Acme login',
          type: 'session-login',
          timeoutSeconds: 10,
          variables: [{ key: 'username', label: 'Acme user' }],
          urls: { login: origins.login },
        },
      ],
      endpoints: [
        {
          id: 'orders',
          name: 'List orders',
          entity: 'orders',
          direction: 'receive',
          method: 'GET',
          url: `${origins.api}/{{account}}/orders?status={{status}}`,
          dataType: 'json',
          variables: [{ key: 'status', label: 'Status', default: 'open' }],
          authMethods: ['acme-session'],
        },
        {
          id: 'customers',
          name: 'List customers',
          entity: 'customers',
          direction: 'receive',
          method: 'GET',
          url: `${origins.api}/{{account}}/customers`,
          dataType: 'json',
          authMethods: ['acme-oauth'],
        },
        {
          id: 'products',
          name: 'List products',
          entity: 'products',
          direction: 'receive',
          method: 'GET',
          url: `${origins.api}/{{account}}/products`,
          dataType: 'json',
          authMethods: ['acme-oauth', 'acme-session'],
        },
      ],
    },
    { strategies },
  );
}
