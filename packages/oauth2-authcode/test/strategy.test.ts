import { createHash } from 'node:crypto';
import { type InstanceContext, parseConnectorText, SpliceError } from '@splice/core';
import { createStrategyHarness } from '@splice/testkit/conformance';
import { describe, expect, it } from 'vitest';
import {
  OAUTH2_DEFAULT_VARIABLES,
  oauth2AuthorizationCode,
  readPath,
  readTokenExpiry,
} from '../src/index.js';
import { processTokenResponse } from '../src/token/processTokenResponse.js';
import { CALLBACK, oauthConnector, variable } from './support.js';

const URLS = {
  authorise: 'https://auth.acme.example/authorize/{{account}}',
  token: 'https://auth.acme.example/token/{{account}}',
};

function harness(
  values: Record<string, string> = {},
  method: Parameters<typeof oauthConnector>[1] = {},
  callbackUrl: string | undefined = CALLBACK,
) {
  return createStrategyHarness({
    strategy: oauth2AuthorizationCode(),
    connector: oauthConnector(URLS, method, [variable('account', { required: true })]),
    values: {
      client_id: 'client-1',
      client_secret: 'secret-value-1',
      account: 'acct 1',
      ...values,
    },
    ...(callbackUrl === undefined ? {} : { callbackUrl }),
  });
}

async function rejection(promise: Promise<unknown>): Promise<SpliceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SpliceError.is(error)) throw new Error(`expected a SpliceError, got ${String(error)}`);
  return error;
}

describe('oauth2AuthorizationCode', () => {
  it('declares every SPEC §4 variable, locked, with the seed labels and defaults', () => {
    const byKey = new Map(OAUTH2_DEFAULT_VARIABLES.map((v) => [v.key, v]));
    const expected: [string, string, string | undefined][] = [
      ['state_length', 'State length', '32'],
      ['scope', 'Scope', ''],
      ['client_id', 'Client ID', undefined],
      ['client_secret', 'Client secret', undefined],
      ['response_authentication_token_key', 'Response authentication token key', 'access_token'],
      ['grant_type', 'Grant_type', 'authorization_code'],
      ['response_type', 'Response type key', 'code'],
      ['oauth_authorised_code', 'OAuth Authorised Code', undefined],
      ['callback_url', 'Dashboard OAuth Callback URL', undefined],
      ['refresh_grant_type', 'Refresh Grant type', 'refresh_token'],
      ['response_refresh_token_key', 'Response Refresh Token Key', 'refresh_token'],
    ];
    for (const [key, label, fallback] of expected) {
      expect(byKey.get(key)?.label, key).toBe(label);
      expect(byKey.get(key)?.default, key).toBe(fallback);
    }
    const advanced: [string, string][] = [
      ['refresh_grant_type_key', 'grant_type'],
      ['response_expires_in_key', 'expires_in'],
      ['scope_separator', ' '],
      ['token_endpoint_auth_method', 'client_secret_post'],
      ['pkce', 'S256'],
      ['expired_token_statuses', '401'],
    ];
    for (const [key, fallback] of advanced) {
      expect(byKey.get(key)?.default, key).toBe(fallback);
      expect(byKey.get(key)?.advanced, key).toBe(true);
    }
    expect(byKey.get('issuer')?.default).toBeUndefined();
    expect(OAUTH2_DEFAULT_VARIABLES.every((v) => v.locked)).toBe(true);
    expect(byKey.get('client_secret')?.secret).toBe(true);
    expect(byKey.get('client_id')?.required).toBe(true);
    expect(byKey.get('client_secret')?.required).toBe(true);
  });

  it('applies the access token as a Bearer header by default', () => {
    const strategy = oauth2AuthorizationCode();
    expect(strategy.type).toBe('oauth2-authorization-code');
    expect(strategy.interactive).toBe(true);
    expect(strategy.apply.headers).toEqual({ Authorization: 'Bearer {{access_token}}' });
  });

  it('rejects bad options at once with a coded TypeError', () => {
    expect(() => oauth2AuthorizationCode({ refreshSkewSeconds: -1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', name: 'TypeError' }),
    );
    expect(() => oauth2AuthorizationCode({ retries: 1.5 })).toThrow(/retries/);
    expect(() => oauth2AuthorizationCode({ skew: 3 } as never)).toThrow(/unknown/);
  });
});

describe('validateMethod', () => {
  const strategy = oauth2AuthorizationCode();
  const method = (
    urls: Record<string, string>,
    variables = [variable('pkce', { default: 'S256' })],
  ) => ({ ...oauthConnector(urls).authMethods[0]!, variables });

  it('accepts a complete method', () => {
    expect(
      strategy.validateMethod?.(method({ ...URLS, reauthenticate: 'https://a.example/r' })),
    ).toEqual([]);
  });

  it('reports every problem with its path', () => {
    const issues = strategy.validateMethod?.(
      method({ token: 'http://auth.acme.example/token', refresh: 'https://x.example' }, [
        variable('pkce', { default: 'S512' }),
        variable('state_length', { default: '8' }),
        variable('token_endpoint_auth_method', { default: 'private_key_jwt' }),
        variable('expired_token_statuses', { default: '401,abc' }),
      ]),
    );
    const paths = issues?.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'urls.authorise',
        'urls.token',
        'urls.refresh',
        'variables[0].default',
        'variables[1].default',
        'variables[2].default',
        'variables[3].default',
      ]),
    );
    expect(issues?.find((i) => i.path === 'urls.token')?.message).toMatch(/https/);
  });
});

describe('begin', () => {
  it('builds the authorise URL with every SPEC §4 parameter and the method query tab', async () => {
    const h = harness(
      { scope: 'orders.read, orders.write', scope_separator: ',' },
      {
        request: {
          query: { audience: 'api-{{account}}', state: 'attacker' },
          headers: {},
          body: {},
        },
      },
    );
    const request = await h.strategy.begin!(h.authContext());
    const url = new URL(request.authorizationUrl);
    expect(url.origin + url.pathname).toBe('https://auth.acme.example/authorize/acct%201');
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('client-1');
    expect(q.get('redirect_uri')).toBe(CALLBACK);
    expect(q.get('scope')).toBe('orders.read,orders.write');
    expect(q.get('state')).toBe(request.state);
    expect(q.get('audience')).toBe('api-acct 1');
    expect(request.state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(q.get('code_challenge_method')).toBe('S256');
    const verifier = request.data['code_verifier'] as string;
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(q.get('code_challenge')).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(request.data['redirect_uri']).toBe(CALLBACK);
    expect(request.authorizationUrl).not.toContain('secret-value-1');
  });

  it('honours state_length from 16 to 128 and refuses other lengths', async () => {
    for (const length of [16, 128]) {
      const h = harness({ state_length: String(length) });
      expect((await h.strategy.begin!(h.authContext())).state).toHaveLength(length);
    }
    for (const length of ['15', '129', 'abc', '32.5']) {
      const h = harness({ state_length: length });
      const error = await rejection(h.strategy.begin!(h.authContext()));
      expect(error.code).toBe('VARIABLE_INVALID');
      expect(error.details['key']).toBe('state_length');
    }
  });

  it('refuses a callback_url that would carry the code in the clear to a public host', async () => {
    for (const url of [
      'http://flows.example/oauth/callback',
      'flows.example/callback',
      'ftp://x',
    ]) {
      const h = harness({ callback_url: url });
      const error = await rejection(h.strategy.begin!(h.authContext()));
      expect(error.code).toBe('VARIABLE_INVALID');
      expect(error.details['key']).toBe('callback_url');
      expect(error.message).toContain('https:');
    }
    const loopback = harness({ callback_url: 'http://127.0.0.1:8976/callback' });
    const request = await loopback.strategy.begin!(loopback.authContext());
    expect(new URL(request.authorizationUrl).searchParams.get('redirect_uri')).toBe(
      'http://127.0.0.1:8976/callback',
    );
  });

  it('makes a new state every time', async () => {
    const h = harness();
    const states = new Set<string>();
    for (let i = 0; i < 50; i += 1) states.add((await h.strategy.begin!(h.authContext())).state);
    expect(states.size).toBe(50);
  });

  it('uses plain PKCE or none when asked', async () => {
    const plain = harness({ pkce: 'plain' });
    const p = await plain.strategy.begin!(plain.authContext());
    const pq = new URL(p.authorizationUrl).searchParams;
    expect(pq.get('code_challenge_method')).toBe('plain');
    expect(pq.get('code_challenge')).toBe(p.data['code_verifier']);

    const none = harness({ pkce: 'none' });
    const n = await none.strategy.begin!(none.authContext());
    const nq = new URL(n.authorizationUrl).searchParams;
    expect(nq.has('code_challenge')).toBe(false);
    expect(nq.has('code_challenge_method')).toBe(false);
    expect(n.data['code_verifier']).toBeUndefined();

    const bad = harness({ pkce: 'S512' });
    expect((await rejection(bad.strategy.begin!(bad.authContext()))).code).toBe('VARIABLE_INVALID');
  });

  it('lists every missing value in one VARIABLE_MISSING', async () => {
    const h = createStrategyHarness({
      strategy: oauth2AuthorizationCode(),
      connector: oauthConnector(URLS, {}, [variable('account', { required: true })]),
      values: {},
    });
    const error = await rejection(h.strategy.begin!(h.authContext()));
    expect(error.code).toBe('VARIABLE_MISSING');
    expect(error.details['keys']).toEqual(
      expect.arrayContaining(['account', 'client_id', 'client_secret', 'callback_url']),
    );
    expect(error.message).toMatch(/account.*client_id.*client_secret|client_id/);
  });

  it('does not ask for a client secret from a public client', async () => {
    const h = createStrategyHarness({
      strategy: oauth2AuthorizationCode(),
      connector: oauthConnector(URLS, {}, []),
      values: { client_id: 'public', token_endpoint_auth_method: 'none', account: 'a' },
      callbackUrl: CALLBACK,
    });
    await expect(h.strategy.begin!(h.authContext())).resolves.toBeDefined();
  });

  it('prefers the callback_url variable over the runtime default', async () => {
    const h = harness({ callback_url: 'https://app.example/oauth/done' });
    const request = await h.strategy.begin!(h.authContext());
    expect(new URL(request.authorizationUrl).searchParams.get('redirect_uri')).toBe(
      'https://app.example/oauth/done',
    );
  });

  // The runtime refuses such a method when it starts (before any begin can run).
  const refusedAtStart = (urls: Record<string, string>): SpliceError => {
    try {
      createStrategyHarness({
        strategy: oauth2AuthorizationCode(),
        connector: oauthConnector(urls),
        values: { client_id: 'c', client_secret: 'secret-value-1', account: 'a' },
        callbackUrl: CALLBACK,
      });
    } catch (error) {
      if (SpliceError.is(error)) return error;
      throw error;
    }
    throw new Error('expected the method to be refused');
  };

  it('reports a method without an authorise URL as CONNECTOR_INVALID', () => {
    const error = refusedAtStart({ token: URLS.token });
    expect(error.code).toBe('CONNECTOR_INVALID');
    expect(error.message).toContain('urls.authorise');
  });

  it('refuses a non-https authorise URL', () => {
    const error = refusedAtStart({ authorise: 'http://auth.acme.example/a', token: URLS.token });
    expect(error.code).toBe('CONNECTOR_INVALID');
    expect(error.message).toMatch(/urls\.authorise.*uses http:/);
  });
});

describe('isExpiredResponse', () => {
  const h = harness();
  const ctx = (values: Record<string, string> = {}): InstanceContext =>
    h.instanceContext(
      {
        id: 'i1',
        name: 'n',
        connectorId: 'acme',
        authMethodId: 'acme-oauth',
        status: 'active',
        variables: values,
        createdAt: '',
        updatedAt: '',
      },
      values,
    );
  const strategy = h.strategy;

  it('treats 401 as expired by default, 403 only when configured', () => {
    expect(strategy.isExpiredResponse!(ctx(), { status: 401, headers: {} })).toBe(true);
    expect(strategy.isExpiredResponse!(ctx(), { status: 403, headers: {} })).toBe(false);
    expect(
      strategy.isExpiredResponse!(ctx({ expired_token_statuses: '401,403' }), {
        status: 403,
        headers: {},
      }),
    ).toBe(true);
    expect(strategy.isExpiredResponse!(ctx(), { status: 500, headers: {} })).toBe(false);
    expect(strategy.isExpiredResponse!(ctx(), { status: 200, headers: {} })).toBe(false);
  });

  it('recognises WWW-Authenticate: Bearer error="invalid_token" on any status', () => {
    const headers = { 'WWW-Authenticate': 'Bearer realm="x", error="invalid_token"' };
    expect(strategy.isExpiredResponse!(ctx(), { status: 400, headers })).toBe(true);
    expect(
      strategy.isExpiredResponse!(ctx(), {
        status: 403,
        headers: { 'www-authenticate': ['Basic realm="x"', 'Bearer error="insufficient_scope"'] },
      }),
    ).toBe(false);
  });
});

describe('isExpiredResponse with a dialect body rule', () => {
  const h = harness(
    {},
    {
      dialect: { invalidToken: { body: [{ path: 'error.code', equals: ['TOKEN_EXPIRED', 190] }] } },
    },
  );
  const ctx = h.instanceContext({
    id: 'i1',
    name: 'n',
    connectorId: 'acme',
    authMethodId: 'acme-oauth',
    status: 'active',
    variables: {},
    createdAt: '',
    updatedAt: '',
  });
  const expired = (status: number, body: string | undefined) =>
    h.strategy.isExpiredResponse!(ctx, {
      status,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body }),
    });

  it('matches a small JSON body at any status, 200 included, values compared as text', () => {
    expect(expired(200, '{"error":{"code":"TOKEN_EXPIRED"}}')).toBe(true);
    expect(expired(400, '{"error":{"code":"190"}}')).toBe(true);
    expect(expired(200, '{"error":{"code":"RATE_LIMITED"}}')).toBe(false);
    expect(expired(200, '{"data":[]}')).toBe(false);
    expect(expired(200, '[{"error":{"code":"TOKEN_EXPIRED"}}]')).toBe(false);
    expect(expired(200, 'not json')).toBe(false);
    expect(expired(200, undefined)).toBe(false);
  });

  it('never parses a body over 16 KiB', () => {
    const padded = `{"error":{"code":"TOKEN_EXPIRED"},"pad":"${'x'.repeat(16 * 1024)}"}`;
    expect(expired(200, padded)).toBe(false);
  });

  it('leaves a 2xx alone without body rules', () => {
    const plain = harness();
    const plainCtx = plain.instanceContext(ctx.instance);
    expect(
      plain.strategy.isExpiredResponse!(plainCtx, {
        status: 200,
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
        body: '{"error":{"code":"TOKEN_EXPIRED"}}',
      }),
    ).toBe(false);
  });
});

describe('readTokenExpiry', () => {
  it('says where the expiry was read and whether it is usable', () => {
    expect(readTokenExpiry({ expires_in: 60 }, 'expires_in', 1_000_000)).toEqual({
      field: 'expires_in',
      expiresAt: 1_060_000,
    });
    expect(readTokenExpiry({ data: { ttl: '60' } }, 'data.ttl', 0)).toEqual({
      field: 'data.ttl',
      expiresAt: 60_000,
    });
    // Stated but unusable: the field is named, the expiry is unknown.
    for (const value of ['soon', -5, 1e20]) {
      expect(readTokenExpiry({ expires_in: value }, 'expires_in', 0)).toEqual({
        field: 'expires_in',
        expiresAt: undefined,
      });
    }
    // An unusable lifetime is not replaced by expires_at; an empty one is.
    expect(readTokenExpiry({ expires_in: -5, expires_at: 2_000 }, 'expires_in', 0)).toEqual({
      field: 'expires_in',
      expiresAt: undefined,
    });
    expect(readTokenExpiry({ expires_in: '', expires_at: 2_000 }, 'expires_in', 0)).toEqual({
      field: 'expires_at',
      expiresAt: 2_000_000,
    });
    expect(readTokenExpiry({ expires_at: 'never' }, 'expires_in', 0)).toEqual({
      field: 'expires_at',
      expiresAt: undefined,
    });
    expect(readTokenExpiry({}, 'expires_in', 0)).toEqual({
      field: undefined,
      expiresAt: undefined,
    });
  });
});

describe('processTokenResponse', () => {
  const shape = {
    accessTokenKey: 'access_token',
    refreshTokenKey: 'refresh_token',
    expiresInKey: 'expires_in',
    now: 1_000_000,
    secrets: ['client-secret-xyz'],
    details: {},
    operation: 'exchange',
  };
  const response = (text: string, status = 200, contentType = 'application/json') => ({
    status,
    headers: {},
    contentType,
    text,
    attempts: 1,
  });

  it('reads numbers, numeric strings, expires_at in seconds, milliseconds or dates, and no expiry', () => {
    const read = (body: object) =>
      processTokenResponse(response(JSON.stringify(body)), shape).expiresAt;
    expect(read({ access_token: 'a', expires_in: 60 })).toBe(1_060_000);
    expect(read({ access_token: 'a', expires_in: '60' })).toBe(1_060_000);
    expect(read({ access_token: 'a', expires_at: 2_000 })).toBe(2_000_000);
    expect(read({ access_token: 'a', expires_at: 2_000_000_000_000 })).toBe(2_000_000_000_000);
    expect(read({ access_token: 'a', expires_at: '2030-01-01T00:00:00Z' })).toBe(
      Date.parse('2030-01-01T00:00:00Z'),
    );
    expect(read({ access_token: 'a' })).toBeUndefined();
    // Beyond what a Date can hold: no date, read as unknown (it would break every display).
    expect(read({ access_token: 'a', expires_in: 1e20 })).toBeUndefined();
    expect(read({ access_token: 'a', expires_at: 1e20 })).toBeUndefined();
  });

  it('checks status, then the OAuth error body, then each field, naming the field', () => {
    expect(() => processTokenResponse(response('{"error":"invalid_grant"}', 400), shape)).toThrow(
      expect.objectContaining({
        code: 'TOKEN_REQUEST_FAILED',
        details: expect.objectContaining({ oauthError: 'invalid_grant' }),
      }),
    );
    // The hint says what invalid_grant means for this request (an exchange here).
    expect(() => processTokenResponse(response('{"error":"invalid_grant"}', 400), shape)).toThrow(
      /invalid_grant\. The authorization code is invalid, expired, already used or issued for another redirect URI: start the authorization again; if it fails the same way, check that the redirect URI and the PKCE setting match what the provider has registered\.$/,
    );
    expect(() =>
      processTokenResponse(response('{"error":"invalid_grant"}', 400), {
        ...shape,
        operation: 'refresh',
      }),
    ).toThrow(/The refresh token is invalid, expired, revoked or already used/);
    // A provider's description says what happened; the hint then only says what to do.
    expect(() =>
      processTokenResponse(
        response('{"error":"invalid_grant","error_description":"refresh token revoked"}', 400),
        { ...shape, operation: 'refresh' },
      ),
    ).toThrow(/invalid_grant \(refresh token revoked\)\. The instance must be authorised again\.$/);
    // An empty description is no description: the hint says what invalid_grant means.
    expect(() =>
      processTokenResponse(response('{"error":"invalid_grant","error_description":""}', 400), {
        ...shape,
        operation: 'refresh',
      }),
    ).toThrow(/invalid_grant\. The refresh token is invalid, expired, revoked or already used/);
    expect(() => processTokenResponse(response('{"error":"invalid_grant"}', 200), shape)).toThrow(
      expect.objectContaining({ code: 'TOKEN_REQUEST_FAILED' }),
    );
    expect(() => processTokenResponse(response('{"token":"x"}'), shape)).toThrow(
      /"access_token" is missing/,
    );
    expect(() => processTokenResponse(response('{"access_token":5}'), shape)).toThrow(
      /"access_token" must be a non-empty string/,
    );
    // An unusable expiry is unknown, never a refusal of tokens the provider issued (a rotated
    // refresh token among them must be kept).
    for (const body of [
      '{"access_token":"a","refresh_token":"r2","expires_in":"soon"}',
      `{"access_token":"a","refresh_token":"r2","expires_in":"${'9'.repeat(400)}"}`,
      '{"access_token":"a","refresh_token":"r2","expires_in":-5}',
      '{"access_token":"a","refresh_token":"r2","expires_at":1e400}',
    ]) {
      const kept = processTokenResponse(response(body), shape);
      expect(kept.values).toMatchObject({ access_token: 'a', refresh_token: 'r2' });
      expect(kept.expiresAt).toBeUndefined();
    }
    expect(() =>
      processTokenResponse(response('{"access_token":"a","refresh_token":7}'), shape),
    ).toThrow(/"refresh_token" must be a string/);
    expect(() =>
      processTokenResponse(response('<html>ok</html>', 200, 'text/html'), shape),
    ).toThrow(expect.objectContaining({ code: 'TOKEN_RESPONSE_INVALID' }));
  });

  it('scrubs secrets from error pages and keeps only an excerpt', () => {
    const page = `<html><body><h1>Bad</h1><pre>client_secret=client-secret-xyz ${'x'.repeat(500)}</pre></body></html>`;
    try {
      processTokenResponse(response(page, 502, 'text/html'), shape);
      expect.fail('should throw');
    } catch (error) {
      expect(SpliceError.is(error, 'TOKEN_REQUEST_FAILED')).toBe(true);
      expect((error as Error).message).not.toContain('client-secret-xyz');
      expect((error as Error).message).not.toContain('<h1>');
      expect((error as Error).message.length).toBeLessThan(400);
    }
  });

  it('accepts a bearer token_type in any case, or none, and refuses any other (RFC 6749 §7.1)', () => {
    const read = (body: object) => processTokenResponse(response(JSON.stringify(body)), shape);
    expect(read({ access_token: 'a', token_type: 'Bearer' }).values['token_type']).toBe('Bearer');
    expect(read({ access_token: 'a', token_type: 'bearer' }).values['token_type']).toBe('bearer');
    expect(read({ access_token: 'a', token_type: 'BEARER' }).values['token_type']).toBe('BEARER');
    // Many providers omit it: the default apply sends Bearer, which is what they mean.
    expect(read({ access_token: 'a' }).values['token_type']).toBe('Bearer');
    expect(read({ access_token: 'a', token_type: '' }).values['token_type']).toBe('Bearer');
    for (const tokenType of ['mac', 'DPoP', 'N_A', ' bearer', 'bearer2']) {
      let error: unknown;
      try {
        read({ access_token: 'a', token_type: tokenType });
      } catch (e) {
        error = e;
      }
      expect(SpliceError.is(error, 'TOKEN_RESPONSE_INVALID'), tokenType).toBe(true);
      const message = (error as Error).message;
      expect(message).toContain('"token_type"');
      expect(message).toContain(JSON.stringify(tokenType));
      expect(message).toContain('apply');
      expect((error as SpliceError).details).toMatchObject({ field: 'token_type', tokenType });
    }
    expect(() => read({ access_token: 'a', token_type: 5 })).toThrow(
      /"token_type" must be a string/,
    );
  });

  it("accepts Slack's bot and user token types as bearer by default, and only the dialect's list when given", () => {
    const read = (body: object, bearerTokenTypes?: ReadonlySet<string>) =>
      processTokenResponse(response(JSON.stringify(body)), {
        ...shape,
        ...(bearerTokenTypes === undefined ? {} : { bearerTokenTypes }),
      });
    expect(read({ access_token: 'xoxb', token_type: 'bot' }).values['token_type']).toBe('bot');
    expect(read({ access_token: 'xoxp', token_type: 'User' }).values['token_type']).toBe('User');
    const strict = new Set(['bearer']);
    expect(() => read({ access_token: 'xoxb', token_type: 'bot' }, strict)).toThrow(
      /dialect\.bearerTokenTypes/,
    );
    expect(read({ access_token: 'a', token_type: 'Bearer' }, strict).values['access_token']).toBe(
      'a',
    );
  });

  it('accepts any token_type when the definition writes its own apply, even a Bearer one', () => {
    const custom = { ...shape, customApply: true };
    const credentials = processTokenResponse(
      response('{"access_token":"a","token_type":"mac"}'),
      custom,
    );
    expect(credentials.values['token_type']).toBe('mac');
    expect(() =>
      processTokenResponse(response('{"access_token":"a","token_type":7}'), custom),
    ).toThrow(/"token_type" must be a string/);
  });

  it('never quotes a non-2xx JSON or form body, only its OAuth error fields', () => {
    const token = 'at_leaked_1234567890abcdef';
    const failing = (text: string, contentType = 'application/json') => {
      try {
        processTokenResponse(response(text, 502, contentType), shape);
      } catch (error) {
        expect(SpliceError.is(error, 'TOKEN_REQUEST_FAILED')).toBe(true);
        return error as SpliceError;
      }
      throw new Error('expected TOKEN_REQUEST_FAILED');
    };
    for (const [text, type] of [
      [`{"access_token":"${token}","token_type":"Bearer"}`, 'application/json'],
      [`access_token=${token}&token_type=Bearer`, 'application/x-www-form-urlencoded'],
      [`{"access_token":"${token}"}`, 'text/plain'],
    ] as const) {
      const error = failing(text, type);
      expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain(
        token,
      );
      expect(error.message).toContain('502');
    }
    const oauth = failing(
      JSON.stringify({
        error: 'temporarily_unavailable',
        error_description: `try later, refresh_token=${token}`,
        error_uri: 'https://auth.acme.example/errors#busy',
        access_token: token,
        debug: 'internal-note',
      }),
    );
    expect(oauth.message).toContain('temporarily_unavailable');
    expect(oauth.message).toContain('try later');
    expect(oauth.message).toContain('https://auth.acme.example/errors#busy');
    expect(oauth.message).not.toContain(token);
    expect(oauth.message).not.toContain('internal-note');
  });

  it('quotes a text or HTML error page only as a short excerpt with credentials redacted', () => {
    const token = 'Zx81kQ2mN4pQ7rS1tU3vW5yA';
    const page = `<html><body><h1>Bad   Gateway</h1>
      <p>upstream answered {"access_token": "at_1", "refresh_token":"rt_2"}</p>
      <p>Authorization: Bearer ${token}</p><p>id_token=eyJhbGciOi.eyJzdWIi.c2ln</p>
      <p>opaque ${token}</p></body></html>`;
    try {
      processTokenResponse(response(page, 503, 'text/html'), shape);
      expect.fail('should throw');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('Bad Gateway');
      for (const leaked of ['at_1', 'rt_2', token, 'eyJhbGciOi']) {
        expect(message).not.toContain(leaked);
      }
      expect(message).not.toMatch(/\s{2}/);
    }
  });

  it('reads form-encoded and mislabelled bodies', () => {
    const form = processTokenResponse(
      response(
        'access_token=a1&refresh_token=r1&expires_in=30',
        200,
        'application/x-www-form-urlencoded',
      ),
      shape,
    );
    expect(form.values).toEqual({ access_token: 'a1', refresh_token: 'r1', token_type: 'Bearer' });
    const plain = processTokenResponse(response('{"access_token":"a2"}', 200, 'text/plain'), shape);
    expect(plain.values['access_token']).toBe('a2');
  });
});

describe('readPath', () => {
  it('reads a literal key first, then a dotted path', () => {
    expect(readPath({ 'data.token': 'literal', data: { token: 'nested' } }, 'data.token')).toBe(
      'literal',
    );
    expect(readPath({ data: { token: 'nested' } }, 'data.token')).toBe('nested');
    expect(readPath({ data: 'x' }, 'data.token')).toBeUndefined();
    expect(readPath({ data: [{ token: 'x' }] }, 'data.0.token')).toBeUndefined();
  });
});

describe('with parseConnector', () => {
  const yaml = (authorise: string, pkce: string) => `
id: acme
name: Acme CRM
version: "1"
variables:
  - { key: account, label: Account, required: true }
authMethods:
  - id: acme-oauth
    name: Acme OAuth
    type: oauth2-authorization-code
    timeoutSeconds: 30
    variables:
      - { key: client_id, required: true }
      - { key: client_secret, required: true, secret: true }
      - { key: scope, default: "orders.read orders.write" }
      - { key: pkce, default: "${pkce}" }
    urls:
      token: https://auth.acme.example/token/{{account}}
${authorise === '' ? '' : `      authorise: ${authorise}`}
    request:
      headers: { X-Api-Version: "2024-01" }
endpoints:
  - id: list-orders
    name: List orders
    direction: receive
    method: GET
    url: https://api.acme.example/{{account}}/orders
    authMethods: [acme-oauth]
`;

  it('accepts the SPEC §2 definition and begins with its merged variables', async () => {
    const strategy = oauth2AuthorizationCode();
    const connector = parseConnectorText(
      yaml('https://auth.acme.example/authorize/{{account}}', 'S256'),
      'yaml',
      { strategies: [strategy] },
    );
    const h = createStrategyHarness({
      strategy,
      connector,
      values: { client_id: 'c1', client_secret: 'secret-value-1', account: 'eu' },
      callbackUrl: CALLBACK,
    });
    const keys = h.method.variables.map((v) => v.key);
    expect(keys).toEqual(expect.arrayContaining(OAUTH2_DEFAULT_VARIABLES.map((v) => v.key)));
    const url = new URL((await strategy.begin!(h.authContext())).authorizationUrl);
    expect(url.pathname).toBe('/authorize/eu');
    expect(url.searchParams.get('scope')).toBe('orders.read orders.write');
  });

  it("reports the strategy's problems with their definition paths", () => {
    let error: unknown;
    try {
      parseConnectorText(yaml('', 'S512'), 'yaml', { strategies: [oauth2AuthorizationCode()] });
    } catch (e) {
      error = e;
    }
    expect(SpliceError.is(error, 'CONNECTOR_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toContain('authMethods[0].urls.authorise');
    expect(message).toMatch(/authMethods\[0\]\.variables\[\d+\]\.default/);
  });
});
