// Mix-up (RFC 9700 §4.4, RFC 9207) with no `issuer` configured: two oidc-provider instances on
// two origins; a code minted by B, put into a callback for an authorization begun at A, must
// never reach A's token endpoint with A's PKCE verifier and client secret.
import {
  type AuthorizationServer,
  completeConsent,
  startAuthorizationServer,
} from '@splice/testkit';
import { createStrategyHarness, type StrategyHarness } from '@splice/testkit/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauth2AuthorizationCode } from '../src/index.js';
import { rejectionOf } from './simulated.js';
import { Audit, CALLBACK, oauthConnector } from './support.js';

const audit = new Audit();
let a: AuthorizationServer;
let b: AuthorizationServer;

beforeAll(async () => {
  [a, b] = await Promise.all([
    startAuthorizationServer({ clients: [{ clientId: 'splice', redirectUris: [CALLBACK] }] }),
    startAuthorizationServer({ clients: [{ clientId: 'splice', redirectUris: [CALLBACK] }] }),
  ]);
  for (const client of [...a.clients, ...b.clients]) audit.secret(client.clientSecret);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close()]);
});

// A method on `server` with no issuer variable: what an embedder gets by default.
function harness(
  server: AuthorizationServer,
  values: Record<string, string> = {},
): StrategyHarness {
  const client = server.clients[0]!;
  return createStrategyHarness({
    strategy: audit.watch(oauth2AuthorizationCode({ retryMinDelayMs: 5 })),
    connector: oauthConnector({ authorise: server.authorizationUrl, token: server.tokenUrl }),
    values: {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      scope: 'openid api.read',
      ...values,
    },
    callbackUrl: CALLBACK,
    logger: audit.logger,
  });
}

// The callback B redirects to after a real consent at B: B's code, B's state, `iss` = B.
async function callbackFromB(): Promise<URL> {
  const start = await harness(b).begin();
  return new URL(await completeConsent(start.authorizationUrl));
}

describe('mix-up defence without a configured issuer', () => {
  it("refuses B's code under A's state before any token request, when B's callback names B", async () => {
    const hA = harness(a);
    const { state } = await hA.begin();
    const fromB = await callbackFromB();
    expect(fromB.searchParams.get('iss')).toBe(b.issuer);
    audit.secret(fromB.searchParams.get('code'));
    const forged = new URL(fromB);
    forged.searchParams.set('state', state);
    const tokenRequestsAtA = a.tokenRequests.length;

    const error = await rejectionOf(hA.completeCallback(forged));

    expect(error.code).toBe('AUTH_ISSUER_MISMATCH');
    expect(error.message).toContain(b.issuer);
    expect(error.message).toContain('"issuer" variable');
    expect(error.details).toMatchObject({ expectedIssuer: new URL(a.authorizationUrl).origin });
    // Neither B's code nor A's verifier and secret travelled to A.
    expect(a.tokenRequests.length).toBe(tokenRequestsAtA);
  });

  it('refuses an iss that is not a URL, or a URL on another origin, and an error= callback from B', async () => {
    for (const iss of ['not a url', `${b.issuer}/`, 'https://127.0.0.1.evil.example', b.issuer]) {
      const hA = harness(a);
      const { state } = await hA.begin();
      const forged = new URL(CALLBACK);
      forged.searchParams.set('state', state);
      forged.searchParams.set('iss', iss);
      forged.searchParams.set('error', 'access_denied');
      const error = await rejectionOf(hA.completeCallback(forged));
      expect(error.code, iss).toBe('AUTH_ISSUER_MISMATCH');
    }
  });

  it("completes A's own callback, which carries A's iss, with no configuration", async () => {
    const start = a.tokenRequests.length;
    const { credentials } = await harness(a).authorize();
    audit.credentials(credentials);
    expect(credentials.values['access_token']).toBeTruthy();
    expect(a.tokenRequests.length).toBe(start + 1);
  });

  it('with issuer configured, compares iss exactly (a path on the same origin is another issuer)', async () => {
    const hA = harness(a, { issuer: a.issuer });
    const { state } = await hA.begin();
    const forged = new URL(CALLBACK);
    forged.searchParams.set('state', state);
    forged.searchParams.set('iss', `${a.issuer}/tenant-b`);
    forged.searchParams.set('code', 'x');
    const error = await rejectionOf(hA.completeCallback(forged));
    expect(error.code).toBe('AUTH_ISSUER_MISMATCH');
    expect(error.details).toMatchObject({ expectedIssuer: a.issuer });
  });

  it('leaves no client secret, code or token in any error, log line or span', () => {
    audit.assertClean();
  });
});
