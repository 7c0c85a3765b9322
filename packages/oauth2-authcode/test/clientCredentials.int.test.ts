import {
  type ConnectorDefinition,
  type Credentials,
  MemoryStore,
  parseConnector,
  SpliceError,
  storeKeys,
} from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import {
  type AuthorizationServer,
  type ResourceServer,
  startAuthorizationServer,
  startResourceServer,
} from '@splice/testkit';
import { describeStrategyConformance } from '@splice/testkit/conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  OAUTH2_CLIENT_CREDENTIALS,
  oauth2ClientCredentials,
  readTokenParameters,
} from '../src/clientCredentials/index.js';
import { rejectionOf } from './simulated.js';
import { Audit } from './support.js';

const audit = new Audit().checkAfterAll();
let server: AuthorizationServer;
let api: ResourceServer;
let clock = Date.now();
const now = (): number => clock;
const runtimes: Runtime[] = [];

/** A connector with one client-credentials method and two endpoints of the resource server. */
function connector(tokenUrl: string, apiUrl: string, method: Record<string, unknown> = {}) {
  return parseConnector({
    id: 'acme',
    name: 'Acme',
    version: '1',
    variables: [{ key: 'tenant', default: 'main' }],
    authMethods: [
      {
        id: 'acme-service',
        name: 'Acme service account',
        type: OAUTH2_CLIENT_CREDENTIALS,
        timeoutSeconds: 5,
        urls: { token: tokenUrl },
        ...method,
      },
    ],
    endpoints: [
      {
        id: 'list-orders',
        name: 'List orders',
        entity: 'orders',
        direction: 'receive',
        method: 'GET',
        url: `${apiUrl}/orders`,
        dataType: 'json',
        timeoutSeconds: 10,
        authMethods: ['acme-service'],
      },
    ],
  });
}

function runtime(definition: ConnectorDefinition, store = new MemoryStore()): Runtime {
  const made = createRuntime({
    connectors: [definition],
    strategies: [audit.watch(oauth2ClientCredentials())],
    store,
    logger: audit.logger,
    now,
  });
  runtimes.push(made);
  return made;
}

/** Adds an instance of the client-credentials method with these values. */
function add(rt: Runtime, variables: Record<string, string>) {
  return rt.addInstance({
    connectorId: 'acme',
    authMethodId: 'acme-service',
    name: 'Reports',
    variables,
  });
}

function client(id: string) {
  const found = server.clients.find((c) => c.clientId === id)!;
  audit.secret(found.clientSecret);
  return found;
}

beforeAll(async () => {
  server = await startAuthorizationServer({
    clients: [
      { clientId: 'service-basic', tokenEndpointAuthMethod: 'client_secret_basic' },
      { clientId: 'service-post', tokenEndpointAuthMethod: 'client_secret_post' },
    ],
  });
  api = await startResourceServer({ verify: (token) => server.verifyAccessToken(token) });
});
afterEach(async () => {
  for (const made of runtimes.splice(0)) await made.close();
  server.setAccessTokenTtl(3600);
  clock = Date.now();
});
afterAll(async () => {
  await api?.close();
  await server?.close();
});

describe('oauth2-client-credentials through createRuntime against oidc-provider', () => {
  for (const method of ['client_secret_basic', 'client_secret_post'] as const) {
    it(`adds an instance with ${method}, calls the API, and serves later calls from its cache`, async () => {
      const id = method === 'client_secret_basic' ? 'service-basic' : 'service-post';
      const { clientSecret } = client(id);
      const rt = runtime(connector(server.tokenUrl, api.url));
      const before = server.counts.clientCredentials;
      const instance = await add(rt, {
        client_id: id,
        client_secret: clientSecret,
        token_endpoint_auth_method: method,
        scope: 'api.read',
      });
      expect((await rt.callEndpoint(instance.id, 'list-orders')).status).toBe(200);
      expect((await rt.callEndpoint(instance.id, 'list-orders')).status).toBe(200);
      expect(server.counts.clientCredentials).toBe(before + 1);
      const request = server.tokenRequests.at(-1)!;
      expect(request).toEqual({ grant: 'client_credentials', clientAuth: method, status: 200 });
      const token = api.requests.at(-1)!.headers['authorization']!.replace(/^Bearer /, '');
      expect(await server.verifyAccessToken(token)).toMatchObject({
        clientId: id,
        scope: 'api.read',
      });
    });
  }

  it('refuses wrong client credentials with a coded error naming invalid_client and saves nothing', async () => {
    const { clientSecret } = client('service-basic');
    const store = new MemoryStore();
    const rt = runtime(connector(server.tokenUrl, api.url), store);
    const wrong = `${clientSecret}-wrong`;
    audit.secret(wrong);
    const error = await rejectionOf(add(rt, { client_id: 'service-basic', client_secret: wrong }));
    expect(SpliceError.is(error, 'TOKEN_REQUEST_FAILED')).toBe(true);
    expect(error.details).toMatchObject({ oauthError: 'invalid_client', status: 401 });
    expect(error.message).toContain('Check client_id, client_secret');
    expect(error.message).not.toContain(wrong);
    expect(await rt.listInstances()).toEqual([]);
    expect(await store.keys('')).toEqual([]);
  });

  it('renews when the API refuses the token (revoked at the server), then replays once', async () => {
    const { clientSecret } = client('service-basic');
    const rt = runtime(connector(server.tokenUrl, api.url));
    const instance = await add(rt, { client_id: 'service-basic', client_secret: clientSecret });
    const before = server.counts.clientCredentials;
    await server.expireAll();
    const rejectedBefore = api.counts.rejected;
    expect((await rt.callEndpoint(instance.id, 'list-orders')).status).toBe(200);
    expect(api.counts.rejected).toBe(rejectedBefore + 1);
    expect(server.counts.clientCredentials).toBe(before + 1);
  });

  it('renews before the token expires, without a refused call', async () => {
    const { clientSecret } = client('service-post');
    server.setAccessTokenTtl(600);
    const rt = runtime(connector(server.tokenUrl, api.url));
    const instance = await add(rt, {
      client_id: 'service-post',
      client_secret: clientSecret,
      token_endpoint_auth_method: 'client_secret_post',
    });
    const first = (await rt.callEndpoint(instance.id, 'list-orders')).status;
    const before = server.counts.clientCredentials;
    const rejected = api.counts.rejected;
    clock += 570_000; // inside the 60 s skew of a 600 s token
    expect([first, (await rt.callEndpoint(instance.id, 'list-orders')).status]).toEqual([200, 200]);
    expect(server.counts.clientCredentials).toBe(before + 1);
    expect(api.counts.rejected).toBe(rejected);
    // The status view: always renewable, next renewal inside the skew, last one recorded.
    const status = await rt.credentialStatus(instance.id);
    expect(status).toMatchObject({ refreshable: true, refreshedAt: clock });
    expect(status.nextRefreshAt).toBe(status.expiresAt! - 60_000);
  });

  it('asks for one token for concurrent calls of two runtimes sharing a store', async () => {
    const { clientSecret } = client('service-basic');
    const store = new MemoryStore();
    const definition = connector(server.tokenUrl, api.url);
    const first = runtime(definition, store);
    const second = runtime(definition, store);
    const instance = await add(first, { client_id: 'service-basic', client_secret: clientSecret });
    const entry = await store.get(storeKeys.credentials(instance.id));
    const stored = entry!.value as unknown as Credentials;
    // Expired in the store and at the server: every caller of both runtimes needs a new token.
    await store.set(
      storeKeys.credentials(instance.id),
      { ...stored, expiresAt: clock - 1000 },
      {
        ifVersion: entry!.version,
      },
    );
    await server.expireAll();
    const before = server.counts.clientCredentials;
    const results = await Promise.all(
      [first, second].flatMap((rt) =>
        Array.from({ length: 20 }, () => rt.callEndpoint(instance.id, 'list-orders')),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(server.counts.clientCredentials).toBe(before + 1);
    const after = (await store.get(storeKeys.credentials(instance.id)))!
      .value as unknown as Credentials;
    audit.credentials(after);
    expect(after.values['access_token']).not.toBe(stored.values['access_token']);
  });
});

describe('oauth2-client-credentials token request', () => {
  it('sends scope, token_parameters, the body tab and Basic client authentication', async () => {
    const token = await startResourceServer({
      routes: {
        'POST /token': () => ({
          body: { access_token: 'cc-token-123456', token_type: 'Bearer', expires_in: 300 },
        }),
      },
    });
    try {
      const rt = runtime(
        connector(`${token.url}/token`, api.url, { request: { body: { tenant: '{{tenant}}' } } }),
      );
      audit.secret('secret-value-1');
      await add(rt, {
        client_id: 'svc id',
        client_secret: 'secret-value-1',
        scope: 'read, write',
        token_parameters: 'audience=https%3A%2F%2Fapi.acme.example&resource=urn%3Aacme',
        tenant: 't-1',
      });
      const sent = token.requests[0]!;
      expect(sent.body).toEqual({
        tenant: 't-1',
        audience: 'https://api.acme.example',
        resource: 'urn:acme',
        grant_type: 'client_credentials',
        scope: 'read write',
      });
      expect(sent.headers['authorization']).toBe(
        `Basic ${Buffer.from('svc+id:secret-value-1').toString('base64')}`,
      );
    } finally {
      await token.close();
    }
  });

  it('reports a token_parameters value that sets a protocol parameter', async () => {
    const rt = runtime(connector(server.tokenUrl, api.url));
    const error = await rejectionOf(
      add(rt, { client_id: 'a', client_secret: 'bbbb', token_parameters: 'grant_type=x' }),
    );
    expect(SpliceError.is(error, 'VARIABLE_INVALID')).toBe(true);
    expect(error.details).toMatchObject({ key: 'token_parameters' });
    expect(error.message).toContain('"grant_type"');
  });

  it('refuses token_endpoint_auth_method none (confidential clients only)', async () => {
    const rt = runtime(connector(server.tokenUrl, api.url));
    const error = await rejectionOf(
      add(rt, { client_id: 'a', client_secret: 'bbbb', token_endpoint_auth_method: 'none' }),
    );
    expect(SpliceError.is(error, 'VARIABLE_INVALID')).toBe(true);
    expect(error.details).toMatchObject({ key: 'token_endpoint_auth_method' });
  });

  it('reads token_parameters as form fields and names what is wrong', () => {
    expect(readTokenParameters('')).toEqual({});
    expect(readTokenParameters('audience=a&resource=b%20c')).toEqual({
      audience: 'a',
      resource: 'b c',
    });
    expect(readTokenParameters('=x')).toMatch(/without a name/);
    expect(readTokenParameters('client_secret=x')).toMatch(/"client_secret"/);
  });

  it('a definition without urls.token, with another URL, or with a bad default is rejected', () => {
    const error = (() => {
      try {
        parseConnector(
          {
            id: 'acme',
            name: 'Acme',
            version: '1',
            authMethods: [
              {
                id: 'm',
                name: 'M',
                type: OAUTH2_CLIENT_CREDENTIALS,
                urls: { authorise: 'https://acme.example/auth' },
                variables: [{ key: 'token_parameters', default: 'scope=a' }],
              },
            ],
            endpoints: [
              {
                id: 'e',
                name: 'E',
                entity: 'e',
                direction: 'receive',
                method: 'GET',
                url: 'https://acme.example/e',
                dataType: 'json',
                authMethods: ['m'],
              },
            ],
          },
          { strategies: [oauth2ClientCredentials()] },
        );
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(SpliceError.is(error, 'CONNECTOR_INVALID')).toBe(true);
    const paths = (error as SpliceError).details['issues'] as { path: string }[];
    expect(paths.map((i) => i.path)).toHaveLength(3);
    expect(paths.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        'authMethods[0].urls.authorise',
        'authMethods[0].urls.token',
        expect.stringMatching(/^authMethods\[0\]\.variables\[\d+\]\.default$/),
      ]),
    );
  });
});

describeStrategyConformance({
  name: 'oauth2-client-credentials against oidc-provider',
  strategy: () => oauth2ClientCredentials(),
  setup: async () => {
    const own = await startAuthorizationServer({
      clients: [{ clientId: 'conformance', tokenEndpointAuthMethod: 'client_secret_post' }],
    });
    return {
      connector: connector(own.tokenUrl, 'http://127.0.0.1:1'),
      values: {
        client_id: 'conformance',
        client_secret: own.clients[0]!.clientSecret,
        token_endpoint_auth_method: 'client_secret_post',
        scope: 'api.read',
      },
      teardown: () => own.close(),
    };
  },
});
