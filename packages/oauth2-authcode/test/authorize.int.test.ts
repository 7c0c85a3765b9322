import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { storeKeys } from '@splice/core';
import { completeConsent, type ProviderSimulator, startProviderSimulator } from '@splice/testkit';
import { createStrategyHarness } from '@splice/testkit/conformance';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { oauth2AuthorizationCode } from '../src/index.js';
import { rejectionOf, simulated } from './simulated.js';
import { Audit, CALLBACK, oauthConnector, spans } from './support.js';

const audit = new Audit();
let sim: ProviderSimulator;

beforeAll(async () => {
  sim = await startProviderSimulator({ redirectUris: [CALLBACK] });
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => {
  sim.setQuirks({
    tokenFormat: 'json',
    nestUnder: undefined,
    accessTokenField: 'access_token',
    refreshTokenField: 'refresh_token',
    expiry: 'number',
    expiresInField: 'expires_in',
    errorsWithStatus200: false,
    htmlErrors: false,
    tokenLatencyMs: 0,
    failNextTokenRequests: 0,
    failStatus: 503,
    retryAfterSeconds: undefined,
    pkce: 'any',
    clientAuth: 'any',
    sendIssuer: true,
    denyAuthorization: undefined,
  });
  sim.resetCounts();
});

describe('complete', () => {
  it('exchanges the code with PKCE and saves access token, refresh token and expiry', async () => {
    const before = Date.now();
    const { credentials, ctx, instance } = await simulated(sim, audit).authorize();
    expect(credentials.values['access_token']).toMatch(/^at_/);
    expect(credentials.values['refresh_token']).toMatch(/^rt_/);
    expect(credentials.values['token_type']).toBe('Bearer');
    expect(credentials.expiresAt).toBeGreaterThanOrEqual(before + 3600_000);
    expect(sim.counts.authorizationCode).toBe(1);
    const exchange = sim.requests.find((r) => r.grant === 'authorization_code');
    expect(exchange?.params).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: CALLBACK,
      code_verifier: '[redacted]',
      client_id: sim.clientId,
    });
    expect(exchange?.clientAuth).toBe('client_secret_post');
    const stored = await ctx.store.get(storeKeys.credentials(instance.id));
    expect(stored?.value).toEqual(credentials);
  });

  it('authenticates with client_secret_basic and never sends the secret in the body', async () => {
    sim.setQuirks({ clientAuth: 'client_secret_basic' });
    await simulated(sim, audit, {
      values: { token_endpoint_auth_method: 'client_secret_basic' },
    }).authorize();
    const exchange = sim.requests.find((r) => r.grant === 'authorization_code');
    expect(exchange?.clientAuth).toBe('client_secret_basic');
    expect(exchange?.params['client_secret']).toBeUndefined();
    expect(sim.counts.authorizationCode).toBe(1);
  });

  it('authenticates a public client with client_id only (none)', async () => {
    sim.setQuirks({ clientAuth: 'none' });
    await simulated(sim, audit, {
      values: { token_endpoint_auth_method: 'none', client_secret: '' },
    }).authorize();
    expect(sim.requests.find((r) => r.grant === 'authorization_code')?.clientAuth).toBe('none');
  });

  it('exchanges with plain PKCE and without PKCE when the provider allows it', async () => {
    await simulated(sim, audit, { values: { pkce: 'plain' } }).authorize();
    sim.setQuirks({ pkce: 'off' });
    await simulated(sim, audit, { values: { pkce: 'none' } }).authorize();
    expect(sim.counts.authorizationCode).toBe(2);
  });

  it('sends the method header and body tabs with the exchange, protocol parameters winning', async () => {
    await simulated(sim, audit, {
      method: {
        request: {
          query: {},
          headers: { 'X-Api-Version': '2024-01' },
          body: { audience: 'orders', grant_type: 'client_credentials', retries: 3 },
        },
      },
    }).authorize();
    const exchange = sim.requests.find((r) => r.grant === 'authorization_code');
    expect(exchange?.headers['x-api-version']).toBe('2024-01');
    expect(exchange?.params).toMatchObject({
      audience: 'orders',
      grant_type: 'authorization_code',
      retries: '3',
    });
  });

  it('turns error= into AUTH_DENIED with the provider error and description', async () => {
    sim.setQuirks({ denyAuthorization: 'access_denied' });
    const error = await rejectionOf(simulated(sim, audit).authorize());
    expect(error.code).toBe('AUTH_DENIED');
    expect(error.message).toContain('access_denied');
    expect(error.message).toContain('The user denied access');
    expect(error.details?.['providerError']).toBe('access_denied');
    expect(sim.counts.token).toBe(0);
  });

  it('checks iss against the issuer variable (RFC 9207)', async () => {
    await simulated(sim, audit, { values: { issuer: sim.issuer } }).authorize();
    const wrong = await rejectionOf(
      simulated(sim, audit, { values: { issuer: 'https://other.example' } }).authorize(),
    );
    expect(wrong.code).toBe('AUTH_ISSUER_MISMATCH');
    sim.setQuirks({ sendIssuer: false });
    const missing = await rejectionOf(
      simulated(sim, audit, { values: { issuer: sim.issuer } }).authorize(),
    );
    expect(missing.code).toBe('AUTH_ISSUER_MISMATCH');
    expect(sim.counts.authorizationCode).toBe(1);
  });

  it('refuses a replayed, unknown or code-less callback with AUTH_STATE_INVALID', async () => {
    const harness = simulated(sim, audit);
    const { authorizationUrl } = await harness.begin();
    const callback = await completeConsent(authorizationUrl);
    await harness.completeCallback(callback);
    expect((await rejectionOf(harness.completeCallback(callback))).code).toBe('AUTH_STATE_INVALID');
    expect((await rejectionOf(harness.completeCallback('?state=unknown&code=abcd'))).code).toBe(
      'AUTH_STATE_INVALID',
    );
    const second = await harness.strategy.begin!(harness.authContext());
    const error = await rejectionOf(
      harness.strategy.complete!(harness.authContext(), {
        params: new URLSearchParams({ state: second.state }),
        data: second.data,
      }),
    );
    expect(error.code).toBe('AUTH_STATE_INVALID');
    expect(sim.counts.authorizationCode).toBe(1);
  });

  it('reports a reused code as a refused token request', async () => {
    const harness = simulated(sim, audit);
    const request = await harness.strategy.begin!(harness.authContext());
    const params = new URL(await completeConsent(request.authorizationUrl)).searchParams;
    await harness.strategy.complete!(harness.authContext(), { params, data: request.data });
    const error = await rejectionOf(
      harness.strategy.complete!(harness.authContext(), { params, data: request.data }),
    );
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details?.['oauthError']).toBe('invalid_grant');
    expect(error.message).toMatch(/invalid_grant/);
  });

  it('reads form-encoded responses, nested paths, string and absolute expiry, and no expiry', async () => {
    sim.setQuirks({ tokenFormat: 'form', expiry: 'string' });
    const form = await simulated(sim, audit).authorize();
    expect(form.credentials.values['refresh_token']).toMatch(/^rt_/);
    expect(form.credentials.expiresAt).toBeGreaterThan(Date.now() + 3500_000);

    sim.setQuirks({
      tokenFormat: 'json',
      nestUnder: 'data',
      accessTokenField: 'token',
      refreshTokenField: 'renewal',
      expiresInField: 'ttl',
      expiry: 'number',
    });
    const nested = await simulated(sim, audit, {
      values: {
        response_authentication_token_key: 'data.token',
        response_refresh_token_key: 'data.renewal',
        response_expires_in_key: 'data.ttl',
      },
    }).authorize();
    expect(nested.credentials.values['access_token']).toMatch(/^at_/);
    expect(nested.credentials.values['refresh_token']).toMatch(/^rt_/);
    expect(nested.credentials.expiresAt).toBeGreaterThan(Date.now() + 3500_000);

    sim.setQuirks({
      nestUnder: undefined,
      accessTokenField: 'access_token',
      refreshTokenField: 'refresh_token',
    });
    sim.setQuirks({ expiry: 'expires_at' });
    const absolute = await simulated(sim, audit).authorize();
    expect(absolute.credentials.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    sim.setQuirks({ expiry: 'missing' });
    const none = await simulated(sim, audit).authorize();
    expect(none.credentials.expiresAt).toBeUndefined();
  });

  it('names the missing field when the token key is wrong (TOKEN_RESPONSE_INVALID)', async () => {
    sim.setQuirks({ accessTokenField: 'token' });
    const error = await rejectionOf(simulated(sim, audit).authorize());
    expect(error.code).toBe('TOKEN_RESPONSE_INVALID');
    expect(error.message).toContain('"access_token" is missing');
  });

  it('reads an OAuth error inside a 200 response', async () => {
    sim.setQuirks({ errorsWithStatus200: true });
    const error = await rejectionOf(
      simulated(sim, audit, { values: { client_secret: 'wrong-secret-value' } }).authorize(),
    );
    audit.secret('wrong-secret-value');
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details?.['oauthError']).toBe('invalid_client');
    expect(error.message).toMatch(/client_secret/);
  });

  it('never retries a 4xx OAuth error', async () => {
    const error = await rejectionOf(
      simulated(sim, audit, { values: { client_secret: 'another-wrong-secret' } }).authorize(),
    );
    audit.secret('another-wrong-secret');
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details?.['status']).toBe(401);
    expect(sim.counts.token).toBe(1);
    expect(sim.counts.invalidClient).toBe(1);
  });

  it('scrubs HTML error pages that echo the request', async () => {
    sim.setQuirks({ htmlErrors: true });
    const error = await rejectionOf(
      simulated(sim, audit, { values: { client_secret: 'echoed-wrong-secret' } }).authorize(),
    );
    audit.secret('echoed-wrong-secret');
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details?.['status']).toBe(401);
    expect(error.message).toContain('invalid_client');
    expect(error.message).not.toContain('echoed-wrong-secret');
    expect(error.message).not.toContain('<');
  });

  it('retries 5xx answers and honours Retry-After', async () => {
    sim.setQuirks({ failNextTokenRequests: 2, retryAfterSeconds: 0 });
    await simulated(sim, audit).authorize();
    expect(sim.counts.injectedFailures).toBe(2);
    expect(sim.counts.authorizationCode).toBe(1);
    expect(
      audit.lines.filter((l) => l.level === 'warn' && l.message.includes('retrying')).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it('waits for a 429 with Retry-After then succeeds', async () => {
    sim.setQuirks({ failNextTokenRequests: 1, failStatus: 429, retryAfterSeconds: 1 });
    await simulated(sim, audit).authorize();
    expect(sim.counts.injectedFailures).toBe(1);
    expect(sim.counts.authorizationCode).toBe(1);
  });

  it('gives up on a Retry-After longer than allowed, without waiting', async () => {
    sim.setQuirks({ failNextTokenRequests: 1, failStatus: 503, retryAfterSeconds: 3600 });
    const error = await rejectionOf(simulated(sim, audit).authorize());
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details?.['status']).toBe(503);
    expect(sim.counts.injectedFailures).toBe(1);
  });

  it('stops after the bounded number of retries', async () => {
    sim.setQuirks({ failNextTokenRequests: 10, failStatus: 502 });
    const error = await rejectionOf(simulated(sim, audit, { options: { retries: 2 } }).authorize());
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details).toMatchObject({ status: 502, attempts: 3 });
    expect(sim.counts.injectedFailures).toBe(3);
  });

  it('retries network errors and then reports TOKEN_REQUEST_FAILED', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const harness = simulated(sim, audit, {
      urls: { authorise: sim.authorizationUrl, token: `http://127.0.0.1:${port}/token` },
      options: { retries: 2 },
    });
    const error = await rejectionOf(harness.authorize());
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details?.['attempts']).toBe(3);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('retries a connection reset and succeeds on the next attempt', async () => {
    let calls = 0;
    const flaky = createServer((req, res) => {
      calls += 1;
      if (calls === 1) {
        req.socket.destroy();
        return;
      }
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'flaky-access-token', expires_in: 60 }));
      });
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const { port } = flaky.address() as AddressInfo;
    try {
      audit.secret('flaky-access-token');
      const { credentials } = await simulated(sim, audit, {
        urls: { authorise: sim.authorizationUrl, token: `http://127.0.0.1:${port}/token` },
      }).authorize();
      expect(credentials.values['access_token']).toBe('flaky-access-token');
      expect(credentials.values['refresh_token']).toBeUndefined();
      expect(calls).toBe(2);
    } finally {
      flaky.closeAllConnections();
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });

  it('refuses a non-bearer token_type unless the definition writes its own apply', async () => {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'mac-typed-access-token', token_type: 'mac' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const urls = { authorise: sim.authorizationUrl, token: `http://127.0.0.1:${port}/token` };
    try {
      audit.secret('mac-typed-access-token');
      const refused = await rejectionOf(simulated(sim, audit, { urls }).authorize());
      expect(refused.code).toBe('TOKEN_RESPONSE_INVALID');
      expect(refused.message).toContain('"token_type" is "mac"');
      // A scheme the definition writes itself always wins, even Bearer: its author decided.
      const bearer = { headers: { Authorization: 'Bearer {{access_token}}' }, query: {} };
      const written = await simulated(sim, audit, { urls, method: { apply: bearer } }).authorize();
      expect(written.credentials.values['token_type']).toBe('mac');
      const own = { headers: { Authorization: '{{token_type}} {{access_token}}' }, query: {} };
      const { credentials } = await simulated(sim, audit, {
        urls,
        method: { apply: own },
      }).authorize();
      expect(credentials.values).toMatchObject({
        access_token: 'mac-typed-access-token',
        token_type: 'mac',
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('enforces timeoutSeconds with TIMEOUT', async () => {
    sim.setQuirks({ tokenLatencyMs: 2500 });
    const error = await rejectionOf(
      simulated(sim, audit, { method: { timeoutSeconds: 1 } }).authorize(),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('1 s');
  });
});

describe('transport', () => {
  it('sends token requests through the context dispatcher', async () => {
    const seen: string[] = [];
    const dispatcher = new Agent().compose((dispatch) => (options, handler) => {
      seen.push(`${options.method} ${options.path}`);
      return dispatch(options, handler);
    });
    const harness = createStrategyHarness({
      strategy: audit.watch(oauth2AuthorizationCode()),
      connector: oauthConnector({ authorise: sim.authorizationUrl, token: sim.tokenUrl }),
      values: { client_id: sim.clientId, client_secret: sim.clientSecret },
      callbackUrl: CALLBACK,
      dispatcher,
    });
    await harness.authorize();
    expect(seen).toEqual(['POST /token']);
    await dispatcher.close();
  });

  it('records status and attempts on the exchange span', async () => {
    sim.setQuirks({ failNextTokenRequests: 1, retryAfterSeconds: 0 });
    spans().reset();
    await simulated(sim, audit).authorize();
    const exchange = spans()
      .getFinishedSpans()
      .find((span) => span.name === 'splice.token.exchange');
    expect(exchange?.attributes).toMatchObject({
      'splice.connector.id': 'acme',
      'splice.auth_method.id': 'acme-oauth',
      'http.response.status_code': 200,
      'splice.attempts': 2,
    });
  });
});

describe('authenticate', () => {
  it('exchanges oauth_authorised_code without a browser step', async () => {
    const harness = simulated(sim, audit);
    const code = sim.issueCode(CALLBACK);
    const credentials = await harness.strategy.authenticate!(
      harness.authContext({ oauth_authorised_code: code }),
    );
    expect(credentials.values['access_token']).toMatch(/^at_/);
    expect(sim.counts.authorize).toBe(0);
    expect(sim.counts.authorizationCode).toBe(1);
  });

  it('says to use beginAuthorization when no code is set', async () => {
    const harness = simulated(sim, audit);
    const error = await rejectionOf(harness.strategy.authenticate!(harness.authContext()));
    expect(error.code).toBe('VARIABLE_MISSING');
    expect(error.message).toContain('beginAuthorization');
    expect(error.details?.['keys']).toEqual(['oauth_authorised_code']);
  });
});

describe('secrets', () => {
  it('are collected from errors, logs and spans of every step', () => {
    const names = new Set(
      spans()
        .getFinishedSpans()
        .map((span) => span.name),
    );
    expect([...names]).toEqual(
      expect.arrayContaining([
        'splice.authorize.begin',
        'splice.authorize.complete',
        'splice.token.exchange',
      ]),
    );
    expect(audit.errors.length).toBeGreaterThan(10);
    expect(audit.lines.length).toBeGreaterThan(10);
    expect(audit.secrets.size).toBeGreaterThan(20);
  });

  it('the audit catches a leak when there is one', () => {
    const probe = new Audit();
    probe.secret('leaky-secret-value');
    probe.logger.info('oops leaky-secret-value');
    expect(() => probe.assertClean()).toThrow(/leaked/);
  });

  it('appear in no error message, log line or span attribute of this file', () => {
    audit.assertClean();
  });
});
