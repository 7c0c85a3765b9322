import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AuthorizationServer,
  completeConsent,
  type ResourceServer,
  startAuthorizationServer,
  startResourceServer,
} from '../src/index.js';

const REDIRECT = 'http://127.0.0.1:1/callback';

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(
  server: AuthorizationServer,
  clientId: string,
  challenge: string,
  state: string,
): string {
  const url = new URL(server.authorizationUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    scope: 'api.read',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

async function token(
  server: AuthorizationServer,
  body: Record<string, string>,
  basic?: { id: string; secret: string },
) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) {
    headers['authorization'] =
      `Basic ${Buffer.from(`${basic.id}:${basic.secret}`).toString('base64')}`;
  }
  const response = await request(server.tokenUrl, {
    method: 'POST',
    headers,
    body: new URLSearchParams(body).toString(),
  });
  return {
    status: response.statusCode,
    body: (await response.body.json()) as Record<string, unknown>,
  };
}

describe('startAuthorizationServer', () => {
  let server: AuthorizationServer;
  let api: ResourceServer;

  beforeAll(async () => {
    server = await startAuthorizationServer({
      clients: [
        {
          clientId: 'basic',
          redirectUris: [REDIRECT],
          tokenEndpointAuthMethod: 'client_secret_basic',
        },
        {
          clientId: 'post',
          redirectUris: [REDIRECT],
          tokenEndpointAuthMethod: 'client_secret_post',
        },
      ],
    });
    api = await startResourceServer({ verify: (token) => server.verifyAccessToken(token) });
  });
  afterAll(async () => {
    await api.close();
    await server.close();
  });

  it('runs a PKCE code flow headlessly, issues a refresh token and rotates it', async () => {
    const client = server.clients[0]!;
    const { verifier, challenge } = pkce();
    const callback = new URL(
      await completeConsent(authorizeUrl(server, client.clientId, challenge, 'st-1')),
    );
    expect(callback.origin + callback.pathname).toBe(REDIRECT);
    expect(callback.searchParams.get('state')).toBe('st-1');
    expect(callback.searchParams.get('iss')).toBe(server.issuer);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    const basic = { id: client.clientId, secret: client.clientSecret };
    const first = await token(
      server,
      {
        grant_type: 'authorization_code',
        code: code!,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      },
      basic,
    );
    expect(first.status).toBe(200);
    expect(typeof first.body['access_token']).toBe('string');
    expect(typeof first.body['refresh_token']).toBe('string');
    expect(server.counts.authorizationCode).toBe(1);

    const accessToken = first.body['access_token'] as string;
    expect(await server.verifyAccessToken(accessToken)).toMatchObject({
      clientId: client.clientId,
    });
    const ok = await request(`${api.url}/things?x=1`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(await ok.body.json()).toMatchObject({ path: '/things', query: { x: '1' } });

    await server.revokeAccessToken(accessToken);
    expect(await server.verifyAccessToken(accessToken)).toBeUndefined();
    const rejected = await request(`${api.url}/things`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(rejected.statusCode).toBe(401);
    expect(rejected.headers['www-authenticate']).toContain('error="invalid_token"');
    await rejected.body.dump();

    const refreshed = await token(
      server,
      { grant_type: 'refresh_token', refresh_token: first.body['refresh_token'] as string },
      basic,
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['refresh_token']).not.toBe(first.body['refresh_token']);
    expect(server.counts.refreshToken).toBe(1);
    expect(server.counts.invalidGrant).toBe(0);

    const reused = await token(
      server,
      { grant_type: 'refresh_token', refresh_token: first.body['refresh_token'] as string },
      basic,
    );
    expect(reused.status).toBe(400);
    expect(reused.body['error']).toBe('invalid_grant');
    expect(server.counts.invalidGrant).toBe(1);
    expect(server.tokenRequests.map((r) => [r.grant, r.clientAuth, r.status])).toEqual([
      ['authorization_code', 'client_secret_basic', 200],
      ['refresh_token', 'client_secret_basic', 200],
      ['refresh_token', 'client_secret_basic', 400],
    ]);
  });

  it('requires PKCE', async () => {
    const url = new URL(authorizeUrl(server, 'post', 'x', 'st-2'));
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const callback = new URL(await completeConsent(url.href));
    expect(callback.searchParams.get('error')).toBe('invalid_request');
  });

  it('accepts client_secret_post and reports a denial', async () => {
    const client = server.clients[1]!;
    const { verifier, challenge } = pkce();
    const callback = new URL(
      await completeConsent(authorizeUrl(server, client.clientId, challenge, 'st-3')),
    );
    const result = await token(server, {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    expect(result.status).toBe(200);
    expect(server.tokenRequests.at(-1)?.clientAuth).toBe('client_secret_post');
    await server.expireAll();
    expect(await server.verifyAccessToken(result.body['access_token'] as string)).toBeUndefined();

    const denied = new URL(
      await completeConsent(authorizeUrl(server, client.clientId, pkce().challenge, 'st-4'), {
        deny: true,
      }),
    );
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe('st-4');
  });

  it('issues client-credentials tokens (RFC 6749 §4.4) that are verified, counted and expired like the others', async () => {
    const client = server.clients[0]!;
    const before = server.counts.clientCredentials;
    const result = await token(
      server,
      { grant_type: 'client_credentials', scope: 'api.read' },
      { id: client.clientId, secret: client.clientSecret },
    );
    expect(result.status).toBe(200);
    expect(result.body['refresh_token']).toBeUndefined();
    expect(server.counts.clientCredentials).toBe(before + 1);
    expect(server.tokenRequests.at(-1)).toEqual({
      grant: 'client_credentials',
      clientAuth: 'client_secret_basic',
      status: 200,
    });
    const accessToken = result.body['access_token'] as string;
    expect(await server.verifyAccessToken(accessToken)).toMatchObject({
      clientId: client.clientId,
      scope: 'api.read',
    });
    expect(await server.expireAll()).toBeGreaterThanOrEqual(1);
    expect(await server.verifyAccessToken(accessToken)).toBeUndefined();
    const wrong = await token(
      server,
      { grant_type: 'client_credentials' },
      { id: client.clientId, secret: `${client.clientSecret}x` },
    );
    expect([wrong.status, wrong.body['error']]).toEqual([401, 'invalid_client']);
  });
});

describe('startAuthorizationServer with a data file', () => {
  it('honours a refresh token it issued before a restart, and expireAll revokes earlier tokens', async () => {
    const dataFile = join(mkdtempSync(join(tmpdir(), 'splice-as-')), 'data.json');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const options = {
      clients: [
        { clientId: 'kept', clientSecret: 'kept-secret-0123456789', redirectUris: [REDIRECT] },
      ],
      dataFile,
      signingKeys: [
        { ...privateKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' },
      ],
      cookieKeys: ['cookie-key-0123456789'],
    };
    const basic = { id: 'kept', secret: 'kept-secret-0123456789' };

    const first = await startAuthorizationServer(options);
    const { verifier, challenge } = pkce();
    const callback = new URL(await completeConsent(authorizeUrl(first, 'kept', challenge, 'st-r')));
    const issued = await token(
      first,
      {
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code')!,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      },
      basic,
    );
    expect(issued.status).toBe(200);
    await first.close();
    expect(statSync(dataFile).mode & 0o077).toBe(0);

    const second = await startAuthorizationServer(options);
    try {
      const accessToken = issued.body['access_token'] as string;
      expect(await second.verifyAccessToken(accessToken)).toMatchObject({ clientId: 'kept' });
      expect(await second.expireAll()).toBe(1);
      expect(await second.verifyAccessToken(accessToken)).toBeUndefined();
      const refreshed = await token(
        second,
        { grant_type: 'refresh_token', refresh_token: issued.body['refresh_token'] as string },
        basic,
      );
      expect(refreshed.status).toBe(200);
      expect(second.counts).toMatchObject({ refreshToken: 1, invalidGrant: 0 });
    } finally {
      await second.close();
    }
  });
});
