import {
  type Credentials,
  type JsonObject,
  parseConnector,
  type Store,
  storeKeys,
} from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { completeConsent } from '../authorizationServer/completeConsent.js';
import {
  type AuthorizationServer,
  startAuthorizationServer,
} from '../authorizationServer/startAuthorizationServer.js';
import { type ResourceServer, startResourceServer } from '../resourceServer/startResourceServer.js';
import type { StoreProcessModule } from './StoreProcessModule.js';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback';

/**
 * How an instance's access token is left for the workers: `expired` — revoked at the provider and
 * past its `expiresAt` in the store, so every worker refreshes before its first call; `revoked` —
 * revoked at the provider only, so every worker learns it from the API's 401 (SPEC §4 step 5);
 * `fresh` — valid.
 */
export type TokenState = 'expired' | 'revoked' | 'fresh';

/**
 * The auth methods' `timeoutSeconds`; the refresh lease lasts this plus 5 s. Short enough that a
 * dead holder's lease lapses within a test, long enough that a token request on a loaded 2-core
 * machine is answered: a refresh request cut short after oidc-provider rotated the refresh token
 * loses the grant (its reuse revokes it), which is what Splice must do and not what these tests
 * are about.
 */
export const METHOD_TIMEOUT_SECONDS = 10;

/** What {@link OAuthWorld.authorizeInstance} left in the store. */
export interface AuthorizedInstance {
  readonly instanceId: string;
  /** The access token of the first authorization, before any refresh. */
  readonly firstAccessToken: string;
}

/** An authorization server, an API that accepts its tokens, and a connector for both. */
export interface OAuthWorld {
  /** oidc-provider: PKCE, refresh tokens rotating on every use (a reuse is `invalid_grant`). */
  readonly server: AuthorizationServer;
  readonly api: ResourceServer;
  readonly clientSecret: string;
  /** The connector definition (JSON, as a child process receives it) with a `list-orders` endpoint. */
  readonly connector: JsonObject;
  /**
   * The same connector with one OAuth 2 client-credentials method (`acme-service`, same client,
   * same short lease) instead of the authorization-code one.
   */
  readonly clientConnector: JsonObject;
  /** `performance.now()` of every request the API received, taken on the API's side. */
  readonly apiArrivals: readonly number[];
  /**
   * Adds an instance on `store` through the real consent flow, makes one successful call with it,
   * then leaves its access token in `state`.
   */
  authorizeInstance(
    store: Store,
    module: StoreProcessModule,
    state: TokenState,
  ): Promise<AuthorizedInstance>;
  /**
   * Renews the consent of `instanceId` on `store` through the real flow, as the process where
   * its owner re-authorized would (`beginAuthorization({ instanceId })`): the record is `active`
   * again with new credentials. Resolves to the new access token.
   */
  renewInstance(store: Store, module: StoreProcessModule, instanceId: string): Promise<string>;
  /**
   * Adds an instance of `clientConnector` on `store` (the module's `createClientCredentialsStrategy`),
   * makes one successful call with it, then leaves its access token in `state`.
   */
  addClientInstance(
    store: Store,
    module: StoreProcessModule,
    state: TokenState,
  ): Promise<AuthorizedInstance>;
  close(): Promise<void>;
}

/**
 * Starts oidc-provider and a bearer API that checks its tokens, and describes an OAuth 2
 * authorization-code connector for them whose refresh lease is short (2 s + 5 s), so a dead
 * holder's lease lapses soon.
 *
 * @example
 * ```ts
 * const world = await startOAuthWorld();
 * const { instanceId } = await world.authorizeInstance(store, module, 'expired');
 * ```
 */
export async function startOAuthWorld(): Promise<OAuthWorld> {
  const server = await startAuthorizationServer({
    clients: [
      {
        clientId: 'engine',
        redirectUris: [CALLBACK],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
    ],
  });
  const apiArrivals: number[] = [];
  const api = await startResourceServer({
    verify: (token) => {
      apiArrivals.push(performance.now());
      return server.verifyAccessToken(token);
    },
  });
  const connector: JsonObject = {
    id: 'acme',
    name: 'Acme',
    version: '1',
    authMethods: [
      {
        id: 'acme-oauth',
        name: 'Acme OAuth',
        type: 'oauth2-authorization-code',
        timeoutSeconds: METHOD_TIMEOUT_SECONDS,
        urls: { authorise: server.authorizationUrl, token: server.tokenUrl },
      },
    ],
    endpoints: [
      {
        id: 'list-orders',
        name: 'List orders',
        entity: 'orders',
        direction: 'receive',
        method: 'GET',
        url: `${api.url}/orders`,
        dataType: 'json',
        timeoutSeconds: 30,
        authMethods: ['acme-oauth'],
      },
    ],
  };
  const clientSecret = server.clients[0]!.clientSecret;
  // The runtime of the process where a user consents (adds or renews the instance).
  const consentRuntime = (store: Store, module: StoreProcessModule) =>
    createRuntime({
      connectors: [parseConnector(connector)],
      strategies: [module.createAuthorizationCodeStrategy!({ lockWaitMs: 60_000 })],
      store,
      callbackUrl: CALLBACK,
    });

  const clientConnector: JsonObject = {
    ...connector,
    authMethods: [
      {
        id: 'acme-service',
        name: 'Acme service account',
        type: 'oauth2-client-credentials',
        timeoutSeconds: METHOD_TIMEOUT_SECONDS,
        urls: { token: server.tokenUrl },
      },
    ],
    endpoints: [
      {
        ...(connector['endpoints'] as JsonObject[])[0]!,
        authMethods: ['acme-service'],
      },
    ],
  };

  /** One successful call with a fresh instance, then its token left in `state`. */
  async function leave(
    store: Store,
    runtime: ReturnType<typeof createRuntime>,
    instanceId: string,
    state: TokenState,
  ): Promise<AuthorizedInstance> {
    // One successful call first: the instance works before its token goes bad.
    const first = await runtime.callEndpoint(instanceId, 'list-orders');
    await runtime.close();
    if (first.status !== 200) throw new Error(`the first call answered ${first.status}`);
    const key = storeKeys.credentials(instanceId);
    const entry = (await store.get(key))!;
    const credentials = entry.value as unknown as Credentials;
    const authorized = { instanceId, firstAccessToken: credentials.values['access_token']! };
    if (state === 'fresh') return authorized;

    await server.expireAll();
    if (state === 'expired') {
      const expired = { ...credentials, expiresAt: Date.now() - 1000 };
      await store.set(key, expired as unknown as JsonObject, { ifVersion: entry.version });
    }
    return authorized;
  }

  return {
    server,
    api,
    clientSecret,
    connector,
    clientConnector,
    apiArrivals,
    async authorizeInstance(store, module, state) {
      const runtime = consentRuntime(store, module);
      const start = await runtime.beginAuthorization({
        connectorId: 'acme',
        authMethodId: 'acme-oauth',
        name: 'Acme production',
        variables: { client_id: 'engine', client_secret: clientSecret, scope: 'openid api.read' },
      });
      const instance = await runtime.completeAuthorization(
        await completeConsent(start.authorizationUrl),
      );
      return leave(store, runtime, instance.id, state);
    },
    async addClientInstance(store, module, state) {
      const strategies = [module.createClientCredentialsStrategy!({ lockWaitMs: 60_000 })];
      const runtime = createRuntime({
        connectors: [parseConnector(clientConnector)],
        strategies,
        store,
      });
      const instance = await runtime.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-service',
        name: 'Acme service account',
        variables: { client_id: 'engine', client_secret: clientSecret, scope: 'api.read' },
      });
      return leave(store, runtime, instance.id, state);
    },
    async renewInstance(store, module, instanceId) {
      const runtime = consentRuntime(store, module);
      try {
        const start = await runtime.beginAuthorization({ instanceId });
        await runtime.completeAuthorization(await completeConsent(start.authorizationUrl));
      } finally {
        await runtime.close();
      }
      const entry = await store.get(storeKeys.credentials(instanceId));
      return (entry!.value as unknown as Credentials).values['access_token']!;
    },
    async close() {
      await api.close();
      await server.close();
    },
  };
}
