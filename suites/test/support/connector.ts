// Connector definitions for the suites, built from definition input through parseConnector, as an
// application would load them: the strategy's locked defaults are merged and validated.
import { type AuthStrategy, type ConnectorDefinition, parseConnector } from '@splice/core';

/** An endpoint of a suite connector. */
export interface EndpointInput {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Keys of the endpoint's variables: what a call may set. */
  readonly variables?: readonly string[];
}

/** What differs between the suites' OAuth connectors. */
export interface OAuthConnectorInput {
  readonly id?: string;
  readonly authorise: string;
  readonly token: string;
  /** Base URL of the API the endpoints call. */
  readonly api: string;
  readonly timeoutSeconds?: number;
  /** Extra auth variables (e.g. `{ key: 'issuer', default: ... }`). */
  readonly variables?: readonly Record<string, unknown>[];
  /**
   * Endpoints by id: a URL template, or a URL template with header-tab templates. Default: one
   * `orders` endpoint at `<api>/orders`.
   */
  readonly endpoints?: Readonly<Record<string, string | EndpointInput>>;
  readonly request?: Record<string, unknown>;
}

/**
 * An `oauth2-authorization-code` connector with one method `oauth` and GET json endpoints.
 *
 * @example
 * ```ts
 * const strategy = oauth2AuthorizationCode();
 * const acme = oauthConnector(strategy, { authorise, token, api: 'http://127.0.0.1:8080' });
 * ```
 */
export function oauthConnector(
  strategy: AuthStrategy,
  input: OAuthConnectorInput,
): ConnectorDefinition {
  const id = input.id ?? 'acme';
  const endpoints = input.endpoints ?? { orders: `${input.api}/orders` };
  return parseConnector(
    {
      id,
      name: `Connector ${id}`,
      version: '1',
      authMethods: [
        {
          id: 'oauth',
          name: 'OAuth',
          type: 'oauth2-authorization-code',
          timeoutSeconds: input.timeoutSeconds ?? 10,
          variables: [
            { key: 'client_id', required: true },
            { key: 'client_secret', required: true, secret: true },
            ...(input.variables ?? []),
          ],
          urls: { authorise: input.authorise, token: input.token },
          ...(input.request === undefined ? {} : { request: input.request }),
        },
      ],
      endpoints: Object.entries(endpoints).map(([endpointId, endpoint]) => {
        const { url, headers, variables } =
          typeof endpoint === 'string' ? ({ url: endpoint } as EndpointInput) : endpoint;
        return {
          id: endpointId,
          name: endpointId,
          entity: endpointId,
          direction: 'receive',
          method: 'GET',
          url,
          dataType: 'json',
          authMethods: ['oauth'],
          ...(headers === undefined ? {} : { request: { headers } }),
          ...(variables === undefined ? {} : { variables: variables.map((key) => ({ key })) }),
        };
      }),
    },
    { strategies: [strategy] },
  );
}
