// Gating per method across the built-in strategies: one connector with a token, a basic, an
// OAuth 1 pre-issued and an OAuth 1 redirect-flow method, endpoints enabled for some of them.
import { MemoryStore } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import {
  type OAuth1Provider,
  type ResourceServer,
  startOAuth1Provider,
  startResourceServer,
} from '@splice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBasicCredentials } from '../src/index.js';
import { builtInStrategies, CALLBACK, connector, rejection } from './support.js';

const TOKEN = 'tok_0123456789abcdef';

let api: ResourceServer;
let provider: OAuth1Provider;
let runtime: Runtime;
const instances: Record<string, string> = {};

beforeAll(async () => {
  api = await startResourceServer({
    verify: (token) => token === TOKEN,
    keys: [
      {
        name: 'basic',
        header: 'authorization',
        accept: [`Basic ${encodeBasicCredentials('ops', 'pw-0123456789')}`],
      },
    ],
  });
  provider = await startOAuth1Provider();
  const strategies = builtInStrategies();
  runtime = createRuntime({
    connectors: [
      connector(
        [
          { id: 'acme-token', type: 'token' },
          { id: 'acme-basic', type: 'basic' },
          { id: 'acme-tba', type: 'oauth1-pre-issued' },
          {
            id: 'acme-oauth1',
            type: 'oauth1',
            urls: {
              request_token: provider.temporaryCredentialsUrl,
              authorise: provider.authorizationUrl,
              access_token: provider.tokenUrl,
            },
          },
        ],
        [
          { id: 'orders', url: `${api.url}/orders`, methods: ['acme-token'] },
          { id: 'customers', url: `${api.url}/customers`, methods: ['acme-basic'] },
          { id: 'catalog', url: `${api.url}/catalog`, methods: ['acme-token', 'acme-basic'] },
          {
            id: 'invoices',
            url: `${provider.apiUrl}/invoices`,
            methods: ['acme-tba', 'acme-oauth1'],
          },
        ],
        strategies,
      ),
    ],
    strategies,
    store: new MemoryStore(),
    callbackUrl: CALLBACK,
  });
  const add = async (authMethodId: string, variables: Record<string, string>) =>
    (
      await runtime.addInstance({
        connectorId: 'acme',
        authMethodId,
        name: authMethodId,
        variables,
      })
    ).id;
  const consumer = {
    consumer_key: provider.consumer.key,
    consumer_secret: provider.consumer.secret,
  };
  instances['acme-token'] = await add('acme-token', { token: TOKEN });
  instances['acme-basic'] = await add('acme-basic', { username: 'ops', password: 'pw-0123456789' });
  instances['acme-tba'] = await add('acme-tba', {
    ...consumer,
    token_id: provider.issuedToken.key,
    token_secret: provider.issuedToken.secret,
  });
  const { authorizationUrl } = await runtime.beginAuthorization({
    connectorId: 'acme',
    authMethodId: 'acme-oauth1',
    name: 'oauth1',
    variables: consumer,
  });
  instances['acme-oauth1'] = (
    await runtime.completeAuthorization(await provider.consent(authorizationUrl))
  ).id;
});
afterAll(async () => {
  await runtime.close();
  await api.close();
  await provider.close();
});

const ENABLED: Record<string, string[]> = {
  'acme-token': ['orders', 'catalog'],
  'acme-basic': ['customers', 'catalog'],
  'acme-tba': ['invoices'],
  'acme-oauth1': ['invoices'],
};
const ALL = ['orders', 'customers', 'catalog', 'invoices'];

describe('endpoints gated per auth method, whatever the strategy', () => {
  for (const [method, enabled] of Object.entries(ENABLED)) {
    it(`a ${method} instance is offered and can call exactly ${enabled.join(', ')}`, async () => {
      const id = instances[method]!;
      expect((await runtime.listEndpoints(id)).map((e) => e.id)).toEqual(enabled);
      for (const endpoint of enabled)
        expect((await runtime.callEndpoint(id, endpoint)).status).toBe(200);
      for (const endpoint of ALL.filter((e) => !enabled.includes(e))) {
        const sent = api.counts.requests + provider.requests.length;
        const error = await rejection(runtime.callEndpoint(id, endpoint));
        expect(error.code).toBe('ENDPOINT_NOT_ENABLED');
        expect(api.counts.requests + provider.requests.length).toBe(sent);
      }
    });
  }
});
