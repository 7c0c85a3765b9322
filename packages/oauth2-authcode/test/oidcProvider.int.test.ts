import { type Credentials, type InstanceContext, storeKeys } from '@splice/core';
import {
  type AuthorizationServer,
  type ClientAuthMethod,
  completeConsent,
  type ResourceServer,
  startAuthorizationServer,
  startResourceServer,
} from '@splice/testkit';
import { createStrategyHarness, type StrategyHarness } from '@splice/testkit/conformance';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauth2AuthorizationCode } from '../src/index.js';
import { rejectionOf } from './simulated.js';
import { Audit, CALLBACK, oauthConnector } from './support.js';

const audit = new Audit();
let server: AuthorizationServer;
let api: ResourceServer;
let clock = Date.now();
const now = (): number => clock;

beforeAll(async () => {
  server = await startAuthorizationServer({
    clients: [
      {
        clientId: 'splice-basic',
        redirectUris: [CALLBACK],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
      {
        clientId: 'splice-post',
        redirectUris: [CALLBACK],
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    ],
  });
  for (const client of server.clients) audit.secret(client.clientSecret);
  api = await startResourceServer({ verify: (token) => server.verifyAccessToken(token) });
});
afterAll(async () => {
  await api.close();
  await server.close();
});

function harness(method: ClientAuthMethod): StrategyHarness {
  const client = server.clients.find((c) => c.tokenEndpointAuthMethod === method)!;
  return createStrategyHarness({
    strategy: audit.watch(oauth2AuthorizationCode({ retryMinDelayMs: 5 })),
    connector: oauthConnector({ authorise: server.authorizationUrl, token: server.tokenUrl }),
    values: {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      token_endpoint_auth_method: method,
      scope: 'openid api.read',
      issuer: server.issuer,
    },
    callbackUrl: CALLBACK,
    logger: audit.logger,
    now,
  });
}

async function stored(ctx: InstanceContext): Promise<Credentials> {
  const entry = await ctx.store.get(storeKeys.credentials(ctx.instance.id));
  if (entry === undefined) throw new Error('no stored credentials');
  return entry.value as unknown as Credentials;
}

async function callApi(
  credentials: Credentials,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const response = await request(`${api.url}/orders?status=open`, {
    headers: { authorization: `Bearer ${credentials.values['access_token']}` },
  });
  await response.body.dump();
  return { status: response.statusCode, headers: response.headers };
}

describe.each(['client_secret_basic', 'client_secret_post'] as const)(
  'against oidc-provider with %s',
  (method) => {
    it('authorizes, uses, expires, refreshes and persists the rotated refresh token', async () => {
      const start = { ...server.counts };
      const h = harness(method);
      const { ctx, credentials } = await h.authorize();
      audit.credentials(credentials);
      expect(server.counts.authorizationCode - start.authorizationCode).toBe(1);
      expect(credentials.values['refresh_token']).toBeTruthy();
      expect(credentials.expiresAt).toBeGreaterThan(clock);

      const first = await h.strategy.getCredentials(ctx);
      expect((await callApi(first)).status).toBe(200);

      // Forced expiry on the server: the API refuses the token, the strategy refreshes once.
      await server.expireAll();
      const refused = await callApi(first);
      expect(refused.status).toBe(401);
      expect(h.strategy.isExpiredResponse!(ctx, refused)).toBe(true);
      const second = await h.strategy.refresh!(ctx, first);
      audit.credentials(second);
      expect(second.values['refresh_token']).not.toBe(first.values['refresh_token']);
      expect((await callApi(second)).status).toBe(200);
      expect((await stored(ctx)).values).toEqual(second.values);

      // Expiry by the clock: the next use refreshes proactively with the rotated refresh token.
      clock += (second.expiresAt ?? clock) - clock + 1;
      const third = await h.strategy.getCredentials(ctx);
      audit.credentials(third);
      expect(third.values['access_token']).not.toBe(second.values['access_token']);
      expect(third.values['refresh_token']).not.toBe(second.values['refresh_token']);
      expect((await callApi(third)).status).toBe(200);
      expect((await stored(ctx)).values).toEqual(third.values);

      expect(server.counts.refreshToken - start.refreshToken).toBe(2);
      // Rotation makes a reused refresh token invalid_grant: none was ever sent.
      expect(server.counts.invalidGrant - start.invalidGrant).toBe(0);
      const mine = server.tokenRequests.slice(start.tokenRequests);
      expect(mine.map((r) => [r.grant, r.clientAuth, r.status])).toEqual([
        ['authorization_code', method, 200],
        ['refresh_token', method, 200],
        ['refresh_token', method, 200],
      ]);
    });
  },
);

describe('against oidc-provider', () => {
  it('reports a denied consent as AUTH_DENIED', async () => {
    const error = await rejectionOf(
      harness('client_secret_basic').authorize({
        consent: (url) => completeConsent(url, { deny: true }),
      }),
    );
    expect(error.code).toBe('AUTH_DENIED');
    expect(error.message).toContain('access_denied');
  });

  it('answers 500 concurrent callers of an expired instance with one refresh', async () => {
    const h = harness('client_secret_post');
    const { ctx, credentials } = await h.authorize();
    audit.credentials(credentials);
    const before = { ...server.counts };
    clock = (credentials.expiresAt ?? clock) + 1;
    const results = await Promise.all(
      Array.from({ length: 500 }, () => h.strategy.getCredentials(ctx)),
    );
    audit.credentials(results[0]!);
    expect(server.counts.refreshToken - before.refreshToken).toBe(1);
    expect(server.counts.tokenRequests - before.tokenRequests).toBe(1);
    expect(new Set(results.map((r) => r.values['access_token'])).size).toBe(1);
    expect(results[0]!.values['access_token']).not.toBe(credentials.values['access_token']);
    expect((await callApi(results[0]!)).status).toBe(200);
  });
});

describe('secrets', () => {
  it('appear in no error message, log line or span attribute of this file', () => {
    audit.assertClean();
  });
});
