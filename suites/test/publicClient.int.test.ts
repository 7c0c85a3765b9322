// Conditional requiredness through the public runtime against oidc-provider 9.13: a public client
// (token_endpoint_auth_method none, RFC 6749 §2.1) registered without a secret is added with
// client_id only, and PKCE alone protects its code (RFC 7636).
import { MemoryStore, parseConnector } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import {
  type AuthorizationServer,
  completeConsent,
  type ResourceServer,
  startAuthorizationServer,
  startResourceServer,
} from '@splice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from './support/outcome.js';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback';

let server: AuthorizationServer;
let api: ResourceServer;
let runtime: Runtime;

beforeAll(async () => {
  server = await startAuthorizationServer({
    clients: [
      { clientId: 'spa-public', redirectUris: [CALLBACK], tokenEndpointAuthMethod: 'none' },
    ],
  });
  api = await startResourceServer({ verify: (token) => server.verifyAccessToken(token) });
  const strategy = oauth2AuthorizationCode({ retryMinDelayMs: 5, retryMaxDelayMs: 20 });
  const connector = parseConnector(
    {
      id: 'acme',
      name: 'Acme',
      version: '1',
      authMethods: [
        {
          id: 'oauth',
          name: 'OAuth',
          type: 'oauth2-authorization-code',
          // The strategy's locked client_secret keeps its `required: true`: the strategy's rule
          // exempts it for a public client, whatever the flag says.
          variables: [{ key: 'issuer', default: server.issuer }],
          urls: { authorise: server.authorizationUrl, token: server.tokenUrl },
        },
      ],
      endpoints: [
        {
          id: 'orders',
          name: 'Orders',
          method: 'GET',
          url: `${api.url}/orders`,
          authMethods: ['oauth'],
        },
      ],
    },
    { strategies: [strategy] },
  );
  runtime = createRuntime({
    connectors: [connector],
    strategies: [strategy],
    store: new MemoryStore(),
    callbackUrl: CALLBACK,
  });
});

afterAll(async () => {
  await runtime.close();
  await api.close();
  await server.close();
});

describe('a public client (token_endpoint_auth_method none)', () => {
  it('is not asked for a client secret, and a confidential one still is', () => {
    expect(
      runtime.requiredVariables('acme', 'oauth', { token_endpoint_auth_method: 'none' }),
    ).toEqual(['client_id']);
    expect(runtime.requiredVariables('acme', 'oauth')).toEqual(['client_id', 'client_secret']);
  });

  it('is added without a secret, with PKCE, and its endpoints are called', async () => {
    const { authorizationUrl } = await runtime.beginAuthorization({
      connectorId: 'acme',
      authMethodId: 'oauth',
      name: 'Public',
      variables: { client_id: 'spa-public', token_endpoint_auth_method: 'none', scope: 'openid' },
    });
    expect(new URL(authorizationUrl).searchParams.get('code_challenge_method')).toBe('S256');
    const instance = await runtime.completeAuthorization(await completeConsent(authorizationUrl));
    expect(instance.status).toBe('active');
    expect(server.tokenRequests.at(-1)).toMatchObject({
      grant: 'authorization_code',
      clientAuth: 'none',
      status: 200,
    });
    const { status } = await runtime.callEndpoint(instance, 'orders');
    expect(status).toBe(200);
    expect(api.counts.accepted).toBe(1);
  });

  it('a confidential client without a secret is refused before anything is sent', async () => {
    const sent = server.counts.tokenRequests;
    const error = await rejection(
      runtime.beginAuthorization({
        connectorId: 'acme',
        authMethodId: 'oauth',
        name: 'Confidential',
        variables: { client_id: 'spa-public' },
      }),
    );
    expect(error.code).toBe('VARIABLE_MISSING');
    expect(error.details['keys']).toEqual(['client_secret']);
    expect(server.counts.tokenRequests).toBe(sent);
  });
});
