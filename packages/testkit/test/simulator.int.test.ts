import { createHash, createHmac } from 'node:crypto';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { completeConsent, type ProviderSimulator, startProviderSimulator } from '../src/index.js';

const CALLBACK = 'http://127.0.0.1:1/cb';
let sim: ProviderSimulator;

beforeAll(async () => {
  sim = await startProviderSimulator({ redirectUris: [CALLBACK] });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.setQuirks({ pkce: 'any', clientAuth: 'any', separateRefreshUrl: false, tokenFormat: 'json' });
  sim.resetCounts();
});

const verifier = 'v'.repeat(43);
const challenge = createHash('sha256').update(verifier).digest('base64url');

async function code(extra: Record<string, string> = {}, on = sim): Promise<URL> {
  const url = new URL(on.authorizationUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: on.clientId,
    redirect_uri: CALLBACK,
    state: 'st',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return new URL(await completeConsent(url.href));
}

async function token(form: Record<string, string>, headers: Record<string, string> = {}, on = sim) {
  const response = await request(on.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return {
    status: response.statusCode,
    text: await response.body.text(),
    headers: response.headers,
  };
}

/** Refreshes with `refreshToken` as a confidential client (credentials in the body). */
function refresh(refreshToken: string) {
  return token({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: sim.clientId,
    client_secret: sim.clientSecret,
  });
}

/** Exchanges the code of `callback` as a confidential client with the PKCE verifier. */
function exchange(callback: URL, on = sim) {
  return token(
    {
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      redirect_uri: CALLBACK,
      code_verifier: verifier,
      client_id: on.clientId,
      client_secret: on.clientSecret,
    },
    {},
    on,
  );
}

describe('startProviderSimulator', () => {
  it('redirects with code, state and iss, and checks the PKCE verifier', async () => {
    const callback = await code();
    expect(callback.searchParams.get('state')).toBe('st');
    expect(callback.searchParams.get('iss')).toBe(sim.issuer);
    const wrong = await token({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      redirect_uri: CALLBACK,
      code_verifier: 'w'.repeat(43),
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    });
    expect(wrong.status).toBe(400);
    expect(JSON.parse(wrong.text)).toMatchObject({ error: 'invalid_grant' });
    expect(sim.counts.invalidGrant).toBe(1);
  });

  it('issues tokens, logs requests with secrets redacted, and serves the API', async () => {
    const ok = await exchange(await code());
    expect(ok.status).toBe(200);
    const body = JSON.parse(ok.text) as Record<string, string>;
    const logged = sim.requests.find((r) => r.grant === 'authorization_code');
    expect(logged?.params).toMatchObject({
      client_secret: '[redacted]',
      code: '[redacted]',
      code_verifier: '[redacted]',
    });
    expect(JSON.stringify(sim.requests)).not.toContain(sim.clientSecret);
    const api = await request(`${sim.apiUrl}/x?y=1`, {
      headers: { authorization: `Bearer ${body['access_token']}` },
    });
    expect(api.statusCode).toBe(200);
    expect(await api.body.json()).toMatchObject({ path: '/api/x', query: { y: '1' } });
    sim.expireAccessTokens();
    const refused = await request(`${sim.apiUrl}/x`, {
      headers: { authorization: `Bearer ${body['access_token']}` },
    });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
    await refused.body.dump();
  });

  it('enforces S256, client authentication method and the registered redirect URI', async () => {
    sim.setQuirks({ pkce: 'S256' });
    expect(
      (await code({ code_challenge_method: 'plain', code_challenge: verifier })).searchParams.get(
        'error',
      ),
    ).toBe('invalid_request');
    sim.setQuirks({ clientAuth: 'client_secret_basic' });
    const post = await token({
      grant_type: 'authorization_code',
      client_id: sim.clientId,
      client_secret: sim.clientSecret,
    });
    expect(post.status).toBe(401);
    expect(sim.counts.invalidClient).toBe(1);
    const unknown = await request(
      `${sim.authorizationUrl}?client_id=${sim.clientId}&redirect_uri=http://evil.example/cb`,
    );
    expect(unknown.statusCode).toBe(400);
    await unknown.body.dump();
  });

  it('refuses refresh grants at the token URL when refresh has its own URL', async () => {
    sim.setQuirks({ separateRefreshUrl: true });
    const refused = await refresh('x');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('signs the callback, omits token_type and reads the token from a provider header (Shopify)', async () => {
    sim.setQuirks({
      callbackExtras: { shop: 'acme.myshopify.com', timestamp: '1337178173' },
      callbackHmac: 'hmac',
      tokenType: undefined,
      apiTokenHeader: 'X-Shopify-Access-Token',
    });
    try {
      const callback = await code();
      const hmac = callback.searchParams.get('hmac');
      const rest = [...callback.searchParams]
        .filter(([key]) => key !== 'hmac')
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => `${key}=${value}`)
        .join('&');
      expect(rest).toMatch(
        /^code=[^&]+&iss=[^&]+&shop=acme\.myshopify\.com&state=st&timestamp=1337178173$/,
      );
      expect(hmac).toBe(createHmac('sha256', sim.clientSecret).update(rest).digest('hex'));

      const body = JSON.parse((await exchange(callback)).text) as Record<string, unknown>;
      expect(Object.keys(body)).not.toContain('token_type');
      const accessToken = String(body['access_token']);

      const bearer = await request(`${sim.apiUrl}/x`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(bearer.statusCode).toBe(401);
      expect(bearer.headers['www-authenticate']).toBeUndefined();
      await bearer.body.dump();
      const answer = await request(`${sim.apiUrl}/x`, {
        headers: { 'x-shopify-access-token': accessToken },
      });
      expect(answer.statusCode).toBe(200);
      await answer.body.dump();
      const logged = sim.requests.filter((r) => r.path === '/api/x').map((r) => r.headers);
      expect(logged.map((h) => h['x-shopify-access-token'])).toEqual([undefined, '[redacted]']);
    } finally {
      sim.setQuirks({
        callbackExtras: {},
        callbackHmac: undefined,
        tokenType: 'Bearer',
        apiTokenHeader: undefined,
      });
    }
  });

  it('retires a rotated refresh token only when its replacement is first used', async () => {
    sim.setQuirks({ retireRefreshTokenOnReplacementUse: true });
    const refresh = async (refreshToken: string) => {
      const answer = await token({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: sim.clientId,
        client_secret: sim.clientSecret,
      });
      return { status: answer.status, body: JSON.parse(answer.text) as Record<string, string> };
    };
    try {
      const first = JSON.parse((await exchange(await code())).text) as Record<string, string>;
      const original = first['refresh_token']!;
      const lost = await refresh(original);
      expect(lost.status).toBe(200);
      // The answer was lost: the original still works, and a second replacement is issued.
      const retried = await refresh(original);
      expect(retried.status).toBe(200);
      expect(retried.body['refresh_token']).not.toBe(lost.body['refresh_token']);
      expect(sim.counts.retiredByReplacement).toBe(0);
      // Using the replacement retires the original.
      expect((await refresh(retried.body['refresh_token']!)).status).toBe(200);
      expect(sim.counts.retiredByReplacement).toBe(1);
      expect((await refresh(original)).body['error']).toBe('invalid_grant');
    } finally {
      sim.setQuirks({ retireRefreshTokenOnReplacementUse: false });
    }
  });

  it("answers a refused refresh token with the provider's own body and status, a refused code with the OAuth error", async () => {
    const body = {
      status: 'BAD_REFRESH_TOKEN',
      message: 'missing or unknown refresh token',
      correlationId: '6a1c5a86-3f3b-4f52-9a55-2b8d3e9b5f01',
    };
    sim.setQuirks({ invalidGrantResponse: { status: 400, body } });
    try {
      const refused = await refresh('rt_unknown');
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toBe('application/json');
      expect(JSON.parse(refused.text)).toEqual(body);
      const badCode = await token({
        grant_type: 'authorization_code',
        code: 'code_unknown',
        redirect_uri: CALLBACK,
        client_id: sim.clientId,
        client_secret: sim.clientSecret,
      });
      expect(badCode.status).toBe(400);
      expect(JSON.parse(badCode.text)).toMatchObject({ error: 'invalid_grant' });
      expect(sim.counts.invalidGrant).toBe(2);
      expect(sim.requests.map((r) => [r.grant, r.status])).toEqual([
        ['refresh_token', 400],
        ['authorization_code', 400],
      ]);
    } finally {
      sim.setQuirks({ invalidGrantResponse: undefined });
    }
  });

  it('introspects a live access token for an authenticated client (RFC 7662), and says active false otherwise', async () => {
    sim.setQuirks({ introspection: { hub_id: 62515, hub_domain: 'demo.hubspot.com' } });
    try {
      const issued = JSON.parse((await exchange(await code())).text) as Record<string, string>;
      const ask = async (form: Record<string, string>) => {
        const answer = await request(sim.introspectionUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form).toString(),
        });
        return { status: answer.statusCode, body: await answer.body.json() };
      };
      const client = { client_id: sim.clientId, client_secret: sim.clientSecret };
      expect(await ask({ ...client, token: issued['access_token']! })).toEqual({
        status: 200,
        body: { active: true, hub_id: 62515, hub_domain: 'demo.hubspot.com' },
      });
      expect((await ask({ ...client, client_secret: 'wrong', token: 'x' })).status).toBe(401);
      sim.expireAccessTokens();
      expect(await ask({ ...client, token: issued['access_token']! })).toEqual({
        status: 200,
        body: { active: false },
      });
      expect(sim.counts.introspection).toBe(3);
      const logged = sim.requests.filter((r) => r.path === '/introspect');
      expect(logged.map((r) => r.params['token'])).toEqual([
        '[redacted]',
        '[redacted]',
        '[redacted]',
      ]);
    } finally {
      sim.setQuirks({ introspection: {} });
    }
  });

  it('puts list-valued token extras in JSON answers as lists, in form answers space-joined', async () => {
    sim.setQuirks({
      tokenExtras: { hub_id: 62515, scopes: ['oauth', 'crm.objects.contacts.read'] },
    });
    try {
      const json = JSON.parse((await exchange(await code())).text) as Record<string, unknown>;
      expect([json['hub_id'], json['scopes']]).toEqual([
        62515,
        ['oauth', 'crm.objects.contacts.read'],
      ]);
      sim.setQuirks({ tokenFormat: 'form' });
      const form = new URLSearchParams((await exchange(await code())).text);
      expect(form.get('scopes')).toBe('oauth crm.objects.contacts.read');
    } finally {
      sim.setQuirks({ tokenExtras: {} });
    }
  });

  it('adds callback and token-response extras and answers the discovery endpoints to a live token', async () => {
    const tenants = [{ tenantId: 't-1', tenantName: 'Demo UK' }];
    sim.setQuirks({
      callbackExtras: { realmId: '9130350025', location: 'eu' },
      tokenExtras: { instance_url: 'https://acme.my.salesforce.com' },
      discovery: tenants,
    });
    try {
      const callback = await code();
      expect(callback.searchParams.get('realmId')).toBe('9130350025');
      expect(callback.searchParams.get('location')).toBe('eu');
      const issued = await exchange(callback);
      const body = JSON.parse(issued.text) as Record<string, string>;
      expect(body['instance_url']).toBe('https://acme.my.salesforce.com');

      const refused = await request(sim.discoveryUrl);
      expect(refused.statusCode).toBe(401);
      await refused.body.dump();
      for (const path of ['/connections', '/oauth/token/accessible-resources']) {
        const answer = await request(`${sim.issuer}${path}`, {
          headers: { authorization: `Bearer ${body['access_token']}` },
        });
        expect(answer.statusCode).toBe(200);
        expect(await answer.body.json()).toEqual(tenants);
      }
      expect(sim.counts.discovery).toBe(3);
      expect(sim.counts.api).toBe(0);
    } finally {
      sim.setQuirks({ callbackExtras: {}, tokenExtras: {}, discovery: [] });
    }
  });

  it('refuses refresh tokens refreshTokenLifetimeSeconds after consent, not extended by refreshes', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const timed = await startProviderSimulator({
      redirectUris: [CALLBACK],
      now: () => clock,
      quirks: {
        refreshTokenLifetimeSeconds: 7 * 24 * 3600,
        rotateRefreshTokens: false,
      },
    });
    try {
      const issued = await exchange(await code({}, timed), timed);
      const refreshToken = (JSON.parse(issued.text) as Record<string, string>)['refresh_token'];
      const refresh = () =>
        token(
          {
            grant_type: 'refresh_token',
            refresh_token: refreshToken ?? '',
            client_id: timed.clientId,
            client_secret: timed.clientSecret,
          },
          {},
          timed,
        );
      // Six days later a refresh still works; it does not move the end of the grant.
      clock += 6 * 24 * 3600 * 1000;
      expect((await refresh()).status).toBe(200);
      clock += 24 * 3600 * 1000;
      const expired = await refresh();
      expect(expired.status).toBe(400);
      expect(JSON.parse(expired.text)).toMatchObject({ error: 'invalid_grant' });
      expect(timed.counts.invalidGrant).toBe(1);
    } finally {
      await timed.close();
    }
  });
});
