// Security suite (issue 7 item 3), through the public runtime against real servers: oidc-provider
// 9.13 (PKCE S256 required, iss on callbacks), a recording API, and a second host that must never
// see a credential. One-time state, PKCE, issuer identification, crafted variable values,
// redirects, and a scan of every log line, error, span and serialized instance of this file.
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { type JsonObject, MemoryStore, SpliceError, storeKeys } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import {
  type AuthorizationServer,
  completeConsent,
  startAuthorizationServer,
} from '@splice/testkit';
import fc from 'fast-check';
import { Agent, interceptors } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthConnector } from './support/connector.js';
import { craftedValue } from './support/craftedValues.js';
import { type RecordingServer, startRecordingServer } from './support/recordingServer.js';
import { SecretAudit } from './support/secretAudit.js';
import { storeSnapshot } from './support/storeSnapshot.js';

const audit = new SecretAudit();
const CALLBACK = 'http://127.0.0.1:1/oauth/callback';
const TEN_MINUTES = 10 * 60 * 1000;

let server: AuthorizationServer;
let api: RecordingServer;
let elsewhere: RecordingServer;
let store: MemoryStore;
let runtime: Runtime;
let clock = Date.now();
const now = (): number => clock;

function strategyAndConnectors() {
  const strategy = oauth2AuthorizationCode({ retryMinDelayMs: 5, retryMaxDelayMs: 20 });
  const urls = { authorise: server.authorizationUrl, token: server.tokenUrl, api: api.origin };
  const connectors = [
    oauthConnector(strategy, {
      ...urls,
      id: 'alpha',
      variables: [{ key: 'shop' }],
      endpoints: {
        orders: `${api.origin}/orders`,
        crafted: {
          url: `${api.origin}/v1/{{a}}/items/{{b}}?q={{c}}&fixed=1#{{d}}`,
          headers: { 'X-Tenant': 'tenant {{t}};' },
          variables: ['a', 'b', 'c', 'd', 't'],
        },
        // A host label from a variable, and (carelessly) the token in the URL itself.
        hosted: 'https://{{shop}}.shop.example/orders?access_token={{access_token}}',
      },
    }),
    oauthConnector(strategy, { ...urls, id: 'beta' }),
  ];
  return { strategy, connectors };
}

function start(options: { store?: MemoryStore; dispatcher?: Agent } = {}): Runtime {
  const { strategy, connectors } = strategyAndConnectors();
  return createRuntime({
    connectors,
    strategies: [strategy],
    store: options.store ?? store,
    callbackUrl: CALLBACK,
    logger: audit.logger,
    now,
    retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 },
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
}

beforeAll(async () => {
  server = await startAuthorizationServer({
    clients: [
      { clientId: 'client-alpha', redirectUris: [CALLBACK] },
      { clientId: 'client-beta', redirectUris: [CALLBACK] },
    ],
  });
  for (const client of server.clients) audit.secret(client.clientSecret);
  api = await startRecordingServer();
  elsewhere = await startRecordingServer();
  store = new MemoryStore({ now });
  runtime = start();
});

afterAll(async () => {
  await runtime.close();
  await api.close();
  await elsewhere.close();
  await server.close();
  // The whole file: every error, log line, span and serialized instance is free of the client
  // secrets, codes, PKCE verifiers and tokens it handled.
  expect(audit.secretCount).toBeGreaterThan(20);
  expect(audit.spanCount).toBeGreaterThan(20);
  expect(audit.leaks()).toEqual([]);
});

function variables(connectorId: 'alpha' | 'beta'): Record<string, string> {
  const client = server.clients.find((c) => c.clientId === `client-${connectorId}`)!;
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid api.read',
    issuer: server.issuer,
  };
}

interface Consented {
  readonly state: string;
  /** The callback URL oidc-provider redirected to (code, state, iss). */
  readonly callback: URL;
}

/** Begins an authorization (new instance, or renewal of `instanceId`) and consents at the server. */
async function consent(
  rt: Runtime,
  target: { connectorId: 'alpha' | 'beta' } | { instanceId: string },
  s: MemoryStore = store,
): Promise<Consented> {
  const { authorizationUrl, state } = await rt.beginAuthorization(
    'instanceId' in target
      ? { instanceId: target.instanceId }
      : {
          connectorId: target.connectorId,
          authMethodId: 'oauth',
          name: `${target.connectorId} instance`,
          variables: variables(target.connectorId),
        },
  );
  const pending = await s.get<JsonObject>(storeKeys.pending(state));
  const data = (pending?.value['data'] ?? {}) as JsonObject;
  audit.secret(data['code_verifier'] as string | undefined);
  const callback = new URL(await completeConsent(authorizationUrl));
  audit.secret(callback.searchParams.get('code'));
  return { state, callback };
}

/** Completes a callback that must succeed; registers the instance's tokens as secrets. */
async function complete(rt: Runtime, callback: URL | string, s: MemoryStore = store) {
  const instance = await rt.completeAuthorization(callback);
  audit.serialized(instance);
  const entry = await s.get<JsonObject>(storeKeys.credentials(instance.id));
  const values = entry?.value['values'] as Record<string, string>;
  audit.secret(values['access_token'], values['refresh_token']);
  return instance;
}

function withParams(callback: URL, change: Record<string, string | null>): URL {
  const next = new URL(callback);
  for (const [key, value] of Object.entries(change)) {
    if (value === null) next.searchParams.delete(key);
    else next.searchParams.set(key, value);
  }
  return next;
}

function expectCode(error: Error & Record<string, unknown>, code: string): void {
  expect(SpliceError.is(error)).toBe(true);
  expect(error.code).toBe(code);
}

describe('state (RFC 6749 §10.12: one-time, bound to one pending authorization)', () => {
  it('refuses a callback replayed after success, sending no second exchange', async () => {
    const { callback } = await consent(runtime, { connectorId: 'alpha' });
    await complete(runtime, callback);
    const requests = server.counts.tokenRequests;
    const before = await storeSnapshot(store);
    const error = await audit.rejection(runtime.completeAuthorization(callback));
    expectCode(error, 'AUTH_STATE_INVALID');
    expect(server.counts.tokenRequests).toBe(requests);
    expect(await storeSnapshot(store)).toEqual(before);
  });

  it('refuses a state it never issued before any token request, consuming nothing', async () => {
    const { callback } = await consent(runtime, { connectorId: 'alpha' });
    const requests = server.counts.tokenRequests;
    const forged = withParams(callback, { state: randomBytes(24).toString('base64url') });
    expectCode(await audit.rejection(runtime.completeAuthorization(forged)), 'AUTH_STATE_INVALID');
    expectCode(
      await audit.rejection(runtime.completeAuthorization(withParams(callback, { state: null }))),
      'AUTH_STATE_INVALID',
    );
    expect(server.counts.tokenRequests).toBe(requests);
    // The genuine callback still completes: a wrong guess burns nothing.
    expect((await complete(runtime, callback)).status).toBe('active');
  });

  it('expires 10 minutes after it was issued (injected clock), and stays consumed', async () => {
    const early = await consent(runtime, { connectorId: 'alpha' });
    const late = await consent(runtime, { connectorId: 'alpha' });
    const requests = server.counts.tokenRequests;
    clock += TEN_MINUTES - 1;
    await complete(runtime, early.callback);
    expect(server.counts.tokenRequests).toBe(requests + 1);
    clock += 2;
    const before = await storeSnapshot(store);
    const error = await audit.rejection(runtime.completeAuthorization(late.callback));
    expectCode(error, 'AUTH_STATE_INVALID');
    expect(server.counts.tokenRequests).toBe(requests + 1);
    expect(await storeSnapshot(store)).toEqual(before);
    clock -= TEN_MINUTES; // back in time: still gone, an expired state is not resurrected
    expectCode(
      await audit.rejection(runtime.completeAuthorization(late.callback)),
      'AUTH_STATE_INVALID',
    );
    clock += TEN_MINUTES;
  });

  it('is unknown to a runtime with another store (a state of process A cannot complete in B)', async () => {
    const otherStore = new MemoryStore({ now });
    const other = start({ store: otherStore });
    try {
      const { callback } = await consent(runtime, { connectorId: 'alpha' });
      const requests = server.counts.tokenRequests;
      expectCode(
        await audit.rejection(other.completeAuthorization(callback)),
        'AUTH_STATE_INVALID',
      );
      expect(server.counts.tokenRequests).toBe(requests);
      expect(await otherStore.keys('')).toEqual([]);
      await complete(runtime, callback);
    } finally {
      await other.close();
    }
  });

  it("binds the code to the state's own authorization: connector beta's code under alpha's state fails", async () => {
    const alpha = await consent(runtime, { connectorId: 'alpha' });
    const beta = await consent(runtime, { connectorId: 'beta' });
    const before = await storeSnapshot(store);
    const mixed = withParams(alpha.callback, { code: beta.callback.searchParams.get('code') });
    const error = await audit.rejection(runtime.completeAuthorization(mixed));
    // alpha's client and verifier meet beta's code at the server: refused there.
    expectCode(error, 'TOKEN_REQUEST_FAILED');
    expect((error.details as JsonObject)['oauthError']).toBe('invalid_grant');
    expect(await storeSnapshot(store)).toEqual(before);
    // alpha's state is spent; beta's own callback is untouched by the attempt.
    expectCode(
      await audit.rejection(runtime.completeAuthorization(alpha.callback)),
      'AUTH_STATE_INVALID',
    );
    expect((await complete(runtime, beta.callback)).connectorId).toBe('beta');
  });

  it('renews only the instance the state was begun for, and PKCE stops a code of another renewal', async () => {
    const x = await complete(runtime, (await consent(runtime, { connectorId: 'alpha' })).callback);
    const y = await complete(runtime, (await consent(runtime, { connectorId: 'alpha' })).callback);
    const renewX = await consent(runtime, { instanceId: x.id });
    const renewY = await consent(runtime, { instanceId: y.id });
    const before = await storeSnapshot(store);
    // Same client, so only the PKCE verifier of X's pending authorization tells the codes apart.
    const mixed = withParams(renewX.callback, { code: renewY.callback.searchParams.get('code') });
    const error = await audit.rejection(runtime.completeAuthorization(mixed));
    expectCode(error, 'TOKEN_REQUEST_FAILED');
    expect((error.details as JsonObject)['oauthError']).toBe('invalid_grant');
    expect(await storeSnapshot(store)).toEqual(before);
    // Y's own callback renews Y, and nothing of X moves.
    const renewed = await complete(runtime, renewY.callback);
    expect(renewed.id).toBe(y.id);
    const after = await storeSnapshot(store);
    expect(after[storeKeys.credentials(y.id)]!.version).toBe(
      before[storeKeys.credentials(y.id)]!.version + 1,
    );
    expect(after[storeKeys.credentials(x.id)]).toEqual(before[storeKeys.credentials(x.id)]);
    expect(after[storeKeys.instance(x.id)]).toEqual(before[storeKeys.instance(x.id)]);
  });
});

describe('PKCE (RFC 7636 §4.6: the server checks the verifier)', () => {
  async function tampered(change: (data: JsonObject) => JsonObject) {
    const { state, callback } = await consent(runtime, { connectorId: 'alpha' });
    const key = storeKeys.pending(state);
    const entry = (await store.get<JsonObject>(key))!;
    const data = change({ ...(entry.value['data'] as JsonObject) });
    await store.set(key, { ...entry.value, data }, { ifVersion: entry.version, ttlMs: 60_000 });
    const before = await storeSnapshot(store);
    const requests = server.counts.tokenRequests;
    const error = await audit.rejection(runtime.completeAuthorization(callback));
    // The exchange was sent and the authorization server refused it; nothing was saved.
    expect(server.counts.tokenRequests).toBe(requests + 1);
    expect(await storeSnapshot(store)).toEqual(before);
    return error;
  }

  it('a wrong verifier is refused by oidc-provider with invalid_grant', async () => {
    const error = await tampered((data) => ({
      ...data,
      code_verifier: randomBytes(32).toString('base64url'),
    }));
    expectCode(error, 'TOKEN_REQUEST_FAILED');
    expect((error.details as JsonObject)['oauthError']).toBe('invalid_grant');
  });

  it('a missing verifier is refused by oidc-provider', async () => {
    const error = await tampered(({ code_verifier: _dropped, ...data }) => data);
    expectCode(error, 'TOKEN_REQUEST_FAILED');
    expect(['invalid_grant', 'invalid_request']).toContain(
      (error.details as JsonObject)['oauthError'],
    );
  });
});

describe('issuer identification (RFC 9207)', () => {
  it('refuses a callback whose iss is another issuer or missing, before any token request', async () => {
    for (const iss of ['https://evil.example', `${server.issuer}/`, null]) {
      const { callback } = await consent(runtime, { connectorId: 'alpha' });
      const requests = server.counts.tokenRequests;
      const before = await storeSnapshot(store);
      const error = await audit.rejection(
        runtime.completeAuthorization(withParams(callback, { iss })),
      );
      expectCode(error, 'AUTH_ISSUER_MISMATCH');
      expect(server.counts.tokenRequests).toBe(requests);
      expect(await storeSnapshot(store)).toEqual(before);
    }
  });
});

/** An active alpha instance and its stored access token. */
async function alphaInstance(rt: Runtime = runtime): Promise<{ id: string; token: string }> {
  const instance = await complete(rt, (await consent(rt, { connectorId: 'alpha' })).callback);
  const entry = await store.get<JsonObject>(storeKeys.credentials(instance.id));
  return {
    id: instance.id,
    token: (entry!.value['values'] as Record<string, string>)['access_token']!,
  };
}

describe('redirects from the resource server', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i to another host surfaces as ENDPOINT_HTTP_ERROR and the credential stays home',
    async (status) => {
      const { id, token } = await alphaInstance();
      const target = `${elsewhere.origin}/collect?from=${status}`;
      api.handle = (_req, res) => {
        res.writeHead(status, { location: target });
        res.end();
      };
      const sent = api.requests.length;
      try {
        const error = await audit.rejection(runtime.callEndpoint(id, 'orders'));
        expectCode(error, 'ENDPOINT_HTTP_ERROR');
        const details = error.details as JsonObject;
        expect(details['status']).toBe(status);
        expect((details['headers'] as JsonObject)['location']).toBe(target);
        // Not followed, not retried: one request, to the intended host, with the credential.
        expect(api.requests.length).toBe(sent + 1);
        expect(api.requests.at(-1)!.headers.authorization).toBe(`Bearer ${token}`);
        expect(elsewhere.connections()).toBe(0);
      } finally {
        api.handle = (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"ok":true}');
        };
      }
    },
  );

  it('never follows a redirect, even through a caller dispatcher that does', async () => {
    // An engine may hand Splice its own undici dispatcher, composed with undici's redirect
    // interceptor. Splice's requests still stop at the 307: nothing reaches the other host.
    const collector = await startRecordingServer();
    const dispatcher = new Agent().compose(interceptors.redirect({ maxRedirections: 2 }));
    const following = start({ dispatcher: dispatcher as unknown as Agent });
    api.handle = (_req, res) => {
      res.writeHead(307, { location: `${collector.origin}/collect` });
      res.end();
    };
    try {
      const { id } = await alphaInstance(following);
      const error = await audit.rejection(following.callEndpoint(id, 'orders'));
      expectCode(error, 'ENDPOINT_HTTP_ERROR');
      expect((error.details as JsonObject)['status']).toBe(307);
      expect(collector.requests).toHaveLength(0);
    } finally {
      api.handle = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      };
      await following.close();
      await dispatcher.close();
      await collector.close();
    }
  });
});

// Values an attacker would put in a variable to move a request, plus the second server's port.
function craftedValues(): fc.Arbitrary<string> {
  return craftedValue([
    `:${elsewhere.port}`,
    `127.0.0.1:${elsewhere.port}`,
    `http://127.0.0.1:${elsewhere.port}/`,
    `//127.0.0.1:${elsewhere.port}`,
  ]);
}

describe('host values the URL parser refuses (no raw TypeError, nothing of the URL in the error)', () => {
  // A host value is set when the instance is created (a call may not set it: origin rule). The
  // value is written into the stored record, as an instance created with it would hold it, and a
  // fresh runtime loads it, so the value reaches the URL template's host label when a call renders.
  async function withHost(
    id: string,
    shop: string,
    rt: Runtime,
  ): Promise<Error & Record<string, unknown>> {
    const key = storeKeys.instance(id);
    const entry = await store.get<JsonObject>(key);
    const variables = { ...(entry!.value['variables'] as Record<string, string>), shop };
    await store.set(key, { ...entry!.value, variables });
    return audit.rejection(rt.callEndpoint(id, 'hosted'));
  }

  it('refuses "xn--zz" and other invalid punycode or numeric labels as TEMPLATE_UNSAFE_VALUE naming the variable', async () => {
    const { id, token } = await alphaInstance();
    for (const shop of ['xn--zz', 'XN--ZZ', 'xn--', 'xn--a']) {
      const rt = start();
      try {
        const error = await withHost(id, shop, rt);
        expectCode(error, 'TEMPLATE_UNSAFE_VALUE');
        expect(error['details']).toMatchObject({ key: 'shop' });
        expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(token);
      } finally {
        await rt.close();
      }
    }
    expect(elsewhere.connections()).toBe(0);
  });

  const RUNS = 200;
  it(`ends every crafted host value in a SpliceError whose inspect output holds no token (${RUNS} runs)`, async () => {
    // Valid labels resolve to 127.0.0.1 port 443 (nothing listens): no DNS, no request sent.
    const dispatcher = new Agent({
      connect: {
        lookup: (_host: string, _options: unknown, done: (...args: unknown[]) => void) =>
          done(null, [{ address: '127.0.0.1', family: 4 }]),
      } as never,
    });
    const { id, token } = await alphaInstance();
    const codes = new Set<string>();
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            craftedValue(['xn--', 'xn--zz', 'xn--ls8h', '0x1', '123']),
            fc.stringMatching(/^[xX][nN]--[a-z0-9-]{0,8}$/),
            fc.stringMatching(/^[0-9a-fx]{1,6}$/),
          ),
          async (shop) => {
            const rt = start({ dispatcher });
            try {
              const error = await withHost(id, shop, rt);
              expect(SpliceError.is(error)).toBe(true);
              codes.add(error.code as string);
              expect(inspect(error, { depth: 20, showHidden: true })).not.toContain(token);
            } finally {
              await rt.close();
            }
          },
        ),
        { numRuns: RUNS },
      );
      expect([...codes].sort()).toEqual(['ENDPOINT_REQUEST_FAILED', 'TEMPLATE_UNSAFE_VALUE']);
    } finally {
      await dispatcher.close();
    }
  });
});

describe('variables crafted to move a request (through callEndpoint, to real servers)', () => {
  const RUNS = 300; // each run is an HTTP round trip; the pure templates get 10,000 in templates.property.test.ts

  it(`never changes scheme, host, port or path and never adds a header (${RUNS} runs)`, async () => {
    const { id, token } = await alphaInstance();
    const clean = { a: 'x', b: 'y', c: 'z', d: 'w', t: 'acme' };
    await runtime.callEndpoint(id, 'crafted', { variables: clean });
    const baseline = api.requests.at(-1)!;
    const allowedNames = new Set(Object.keys(baseline.headers));
    const headerLines = baseline.rawHeaders.length;
    let sentCount = 0;
    let refusedCount = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          a: craftedValues(),
          b: craftedValues(),
          c: craftedValues(),
          d: craftedValues(),
          t: craftedValues(),
        }),
        async (values) => {
          const before = api.requests.length;
          let failure: unknown;
          try {
            await runtime.callEndpoint(id, 'crafted', { variables: values });
          } catch (error) {
            failure = audit.error(error);
          }
          expect(elsewhere.connections()).toBe(0);
          if (failure !== undefined) {
            // Refused: a coded SpliceError, and nothing reached the API.
            expect(SpliceError.is(failure)).toBe(true);
            expect(api.requests.length).toBe(before);
            refusedCount += 1;
            return;
          }
          sentCount += 1;
          expect(api.requests.length).toBe(before + 1);
          const req = api.requests.at(-1)!;
          expect(req.headers.host).toBe(`127.0.0.1:${api.port}`);
          const [path = '', query = ''] = req.target.split('?');
          expect(req.target.includes('#')).toBe(false);
          const segments = path.split('/');
          expect(segments).toHaveLength(5);
          expect(segments[1]).toBe('v1');
          expect(segments[3]).toBe('items');
          expect(decodeURIComponent(segments[2]!)).toBe(values.a);
          expect(decodeURIComponent(segments[4]!)).toBe(values.b);
          const params = new URLSearchParams(query);
          expect([...params.keys()]).toEqual(['q', 'fixed']);
          expect(params.get('q')).toBe(values.c);
          expect(params.get('fixed')).toBe('1');
          expect(req.headers['x-tenant']).toBe(`tenant ${values.t};`);
          expect(req.headers.authorization).toBe(`Bearer ${token}`);
          expect(req.rawHeaders).toHaveLength(headerLines);
          for (const name of Object.keys(req.headers)) expect(allowedNames.has(name)).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
    // Both sides of the property were exercised.
    expect(sentCount).toBeGreaterThan(RUNS / 10);
    expect(refusedCount).toBeGreaterThan(RUNS / 10);
  });

  it('a CR/LF in call input headers never reaches the wire as a header line', async () => {
    const { id } = await alphaInstance();
    const before = api.requests.length;
    for (const headers of [
      { 'X-Note': 'ok\r\nX-Injected: 1' },
      { 'X-Note\r\nX-Injected': '1' },
      { 'X-Note': 'ok\nHost: evil.example' },
    ]) {
      const error = await audit.rejection(runtime.callEndpoint(id, 'orders', { headers }));
      const coded = SpliceError.is(error) || (error instanceof TypeError && 'code' in error);
      expect(coded).toBe(true);
    }
    expect(api.requests.length).toBe(before);
    expect(elsewhere.connections()).toBe(0);
  });

  // undici would refuse it too, but only after the retries and as ENDPOINT_REQUEST_FAILED "check
  // that the API host is reachable": the call's own mistake is reported at once instead.
  it('refuses a CR/LF in call input headers at once with INVALID_ARGUMENT', async () => {
    const { id } = await alphaInstance();
    const error = await audit.rejection(
      runtime.callEndpoint(id, 'orders', { headers: { 'X-Note': 'ok\r\nX-Injected: 1' } }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain('X-Note');
  });

  // A Host header would keep the connection to the endpoint's origin but name another virtual host,
  // which a shared front end (CDN, ingress) routes to another application, with the credential.
  it('does not let call input headers name another Host', async () => {
    const { id } = await alphaInstance();
    const before = api.requests.length;
    for (const name of ['Host', 'host', 'HOST']) {
      const error = await audit.rejection(
        runtime.callEndpoint(id, 'orders', { headers: { [name]: 'evil.example' } }),
      );
      expect(error).toBeInstanceOf(TypeError);
      expect(error.code).toBe('INVALID_ARGUMENT');
    }
    expect(api.requests.length).toBe(before);
    expect(elsewhere.connections()).toBe(0);
  });

  // RFC 9110 §5.5: a field value holds no control character but HTAB and nothing above U+00FF;
  // undici would refuse it only after the retries, as ENDPOINT_REQUEST_FAILED.
  it('refuses a header variable holding a control character as TEMPLATE_UNSAFE_VALUE', async () => {
    const { id } = await alphaInstance();
    const variables = { a: 'x', b: 'y', c: 'z', d: 'w', t: 'bell\u0007' };
    const error = await audit.rejection(runtime.callEndpoint(id, 'crafted', { variables }));
    expectCode(error, 'TEMPLATE_UNSAFE_VALUE');
  });
});
