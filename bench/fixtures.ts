// Shared set-up for the benchmarks: a connector whose token endpoint is the provider simulator
// and whose API is the benchmark server, and instances added without a browser step by
// exchanging codes the simulator issues (`oauth_authorised_code`).
import { type ConnectorDefinition, parseConnector, type Store } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import type { ProviderSimulator } from '@splice/testkit';

export const REDIRECT_URI = 'http://127.0.0.1:1/callback';

/** What the connector needs to know of the provider. */
export type ProviderEndpoints = Pick<
  ProviderSimulator,
  'tokenUrl' | 'authorizationUrl' | 'clientId' | 'clientSecret'
>;

/** The benchmark connector: one OAuth 2 method, one GET endpoint on `apiOrigin`. */
export function benchConnector(
  provider: ProviderEndpoints,
  apiOrigin: string,
): ConnectorDefinition {
  const strategies = [oauth2AuthorizationCode()];
  return parseConnector(
    {
      id: 'bench',
      name: 'Bench API',
      version: '1',
      authMethods: [
        {
          id: 'bench-oauth',
          name: 'Bench OAuth',
          type: 'oauth2-authorization-code',
          variables: [
            { key: 'client_id', default: provider.clientId },
            { key: 'client_secret', default: provider.clientSecret },
            { key: 'callback_url', default: REDIRECT_URI },
            { key: 'pkce', default: 'none' },
          ],
          urls: { token: provider.tokenUrl, authorise: provider.authorizationUrl },
        },
      ],
      endpoints: [
        {
          id: 'list-orders',
          name: 'List orders',
          method: 'GET',
          url: `${apiOrigin}/orders`,
          authMethods: ['bench-oauth'],
        },
      ],
    },
    { strategies },
  );
}

/** A runtime over `connector` with the given store and clock. */
export function benchRuntime(
  connector: ConnectorDefinition,
  store?: Store,
  now?: () => number,
): Runtime {
  return createRuntime({
    connectors: [connector],
    strategies: [oauth2AuthorizationCode()],
    ...(store === undefined ? {} : { store }),
    ...(now === undefined ? {} : { now }),
    retry: { retries: 0 },
  });
}

/** Adds an instance by exchanging a simulator-issued code; returns its id. */
export async function addBenchInstance(
  runtime: Runtime,
  provider: ProviderSimulator,
  name = 'bench',
): Promise<string> {
  return addBenchInstanceWithCode(runtime, provider.issueCode(REDIRECT_URI), name);
}

/** Adds an instance by exchanging `code` (issued for {@link REDIRECT_URI}); returns its id. */
export async function addBenchInstanceWithCode(
  runtime: Runtime,
  code: string,
  name = 'bench',
): Promise<string> {
  const instance = await runtime.addInstance({
    connectorId: 'bench',
    authMethodId: 'bench-oauth',
    name,
    variables: { oauth_authorised_code: code },
  });
  return instance.id;
}
