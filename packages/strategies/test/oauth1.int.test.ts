// OAuth 1.0a end to end against a provider that verifies every signature with an independent
// implementation (the testkit's OAuth 1 provider): the redirect flow and pre-issued tokens.
import { MemoryStore } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { type OAuth1Provider, type OAuth1ProviderEcho, startOAuth1Provider } from '@splice/testkit';
import { describeStrategyConformance } from '@splice/testkit/conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { oauth1, oauth1PreIssued } from '../src/oauth1/index.js';
import { CALLBACK, connector, type MethodInput, rejection, shown } from './support.js';

const threeLegged = (
  provider: OAuth1Provider,
  id = 'photos',
  extra: Partial<MethodInput> = {},
) => ({
  id,
  type: 'oauth1',
  urls: {
    request_token: provider.temporaryCredentialsUrl,
    authorise: provider.authorizationUrl,
    access_token: provider.tokenUrl,
  },
  ...extra,
});

describeStrategyConformance({
  name: 'oauth1 against a verifying OAuth 1 provider',
  strategy: () => oauth1(),
  setup: async () => {
    const provider = await startOAuth1Provider();
    return {
      connector: connector([threeLegged(provider)], [], [oauth1()]),
      values: { consumer_key: provider.consumer.key, consumer_secret: provider.consumer.secret },
      callbackUrl: CALLBACK,
      consent: (url) => provider.consent(url),
      teardown: () => provider.close(),
    };
  },
});

describeStrategyConformance({
  name: 'oauth1-pre-issued against a verifying OAuth 1 provider',
  strategy: () => oauth1PreIssued(),
  setup: async () => {
    const provider = await startOAuth1Provider({ realm: '1234567_SB1' });
    return {
      connector: connector(
        [{ id: 'netsuite', type: 'oauth1-pre-issued', urls: { test: `${provider.apiUrl}/me` } }],
        [],
        [oauth1PreIssued()],
      ),
      values: {
        consumer_key: provider.consumer.key,
        consumer_secret: provider.consumer.secret,
        token_id: provider.issuedToken.key,
        token_secret: provider.issuedToken.secret,
        realm: '1234567_SB1',
      },
      teardown: () => provider.close(),
    };
  },
});

// Query values and form fields that trip naive signers: reserved characters, "+", spaces,
// non-ASCII, empty values and a repeated name.
const TRICKY_QUERY = 'q=a%2Bb%20c&q=%C3%A9%26%3D&empty=&star=*&tilde=~';

describe('oauth1: the redirect flow through createRuntime', () => {
  let provider: OAuth1Provider;
  let runtime: Runtime;

  beforeAll(async () => {
    provider = await startOAuth1Provider();
    runtime = createRuntime({
      connectors: [
        connector(
          [
            threeLegged(provider),
            threeLegged(provider, 'photos-sha256', {
              request: { query: { perms: 'read' } },
              // On the credential requests only, inside the signature; never on an API call.
              tokenRequest: { body: { x_locale: 'en' } },
              variables: [
                { key: 'signature_method', default: 'HMAC-SHA256' },
                { key: 'realm', default: 'Photos' },
              ],
            }),
          ],
          [
            {
              id: 'search',
              url: `${provider.apiUrl}/photos/search?${TRICKY_QUERY}`,
              methods: ['photos', 'photos-sha256'],
            },
            {
              id: 'upload',
              url: `${provider.apiUrl}/photos?size=original`,
              method: 'POST',
              bodyFormat: 'form',
              methods: ['photos', 'photos-sha256'],
            },
          ],
          [oauth1()],
        ),
      ],
      strategies: [oauth1()],
      store: new MemoryStore(),
      callbackUrl: CALLBACK,
    });
  });
  afterAll(async () => {
    await runtime.close();
    await provider.close();
  });
  afterEach(async () => {
    for (const instance of await runtime.listInstances()) await runtime.deleteInstance(instance);
  });

  const begin = (authMethodId = 'photos', secret = provider.consumer.secret) =>
    runtime.beginAuthorization({
      connectorId: 'acme',
      authMethodId,
      name: 'Photos',
      variables: { consumer_key: provider.consumer.key, consumer_secret: secret },
    });

  for (const method of ['photos', 'photos-sha256']) {
    it(`adds an instance and signs every call (${method})`, async () => {
      const { authorizationUrl, state } = await begin(method);
      const authorise = new URL(authorizationUrl);
      expect(authorise.searchParams.get('oauth_token')).toBeTruthy();
      if (method === 'photos-sha256') expect(authorise.searchParams.get('perms')).toBe('read');
      expect(authorizationUrl).not.toContain(provider.consumer.secret);
      const callback = new URL(await provider.consent(authorizationUrl));
      // The provider kept the state Splice put in oauth_callback and appended its parameters.
      expect(callback.searchParams.get('state')).toBe(state);
      expect(callback.searchParams.get('oauth_verifier')).toBeTruthy();
      const instance = await runtime.completeAuthorization(callback.href);
      expect(JSON.stringify(instance)).not.toContain(provider.consumer.secret);

      const search = await runtime.callEndpoint<OAuth1ProviderEcho>(instance, 'search', {
        query: { extra: 'call input ✓' },
      });
      expect(search.data.query).toMatchObject({ q: 'é&=', empty: '', extra: 'call input ✓' });
      const upload = await runtime.callEndpoint<OAuth1ProviderEcho>(instance, 'upload', {
        body: { title: 'Beach + sun', note: 'a&b=c', tags: 'x y' },
      });
      expect(upload.data.body).toEqual({ title: 'Beach + sun', note: 'a&b=c', tags: 'x y' });
      expect(upload.data.token).toBe(search.data.token);

      const api = provider.requests.filter((r) => r.path.startsWith('/api'));
      expect(api.slice(-2).every((r) => r.problem === undefined)).toBe(true);
      expect(api.at(-1)?.signatureMethod).toBe(method === 'photos' ? 'HMAC-SHA1' : 'HMAC-SHA256');
      expect(api.at(-1)?.realm).toBe(method === 'photos' ? undefined : 'Photos');
      const nonces = provider.requests.map((r) => r.nonce).filter((n) => n !== undefined);
      expect(new Set(nonces).size).toBe(nonces.length);
    });
  }

  it('refuses a replayed callback (AUTH_STATE_INVALID) and a swapped oauth_token', async () => {
    const first = await begin();
    const callback = await provider.consent(first.authorizationUrl);
    await runtime.completeAuthorization(callback);
    expect((await rejection(runtime.completeAuthorization(callback))).code).toBe(
      'AUTH_STATE_INVALID',
    );
    // Another authorization's oauth_token and verifier under this authorization's state.
    const mine = await begin();
    const other = new URL(await provider.consent((await begin()).authorizationUrl));
    other.searchParams.set('state', mine.state);
    const error = await rejection(runtime.completeAuthorization(other.href));
    expect(error.code).toBe('AUTH_STATE_INVALID');
    expect(error.message).toContain('oauth_token');
    expect(await runtime.listInstances()).toHaveLength(1);
  });

  it('refuses a callback_url in the clear to a public host, before asking the provider', async () => {
    const requestsBefore = provider.requests.length;
    const error = await rejection(
      runtime.beginAuthorization({
        connectorId: 'acme',
        authMethodId: 'photos',
        name: 'Photos',
        variables: {
          consumer_key: provider.consumer.key,
          consumer_secret: provider.consumer.secret,
          callback_url: 'http://flows.example/callback',
        },
      }),
    );
    expect(error.code).toBe('VARIABLE_INVALID');
    expect(error.details['key']).toBe('callback_url');
    expect(provider.requests.length).toBe(requestsBefore);
  });

  it('turns a refusal into AUTH_DENIED and saves nothing', async () => {
    const { authorizationUrl } = await begin();
    const callback = await provider.consent(authorizationUrl, { deny: true });
    expect((await rejection(runtime.completeAuthorization(callback))).code).toBe('AUTH_DENIED');
    expect(await runtime.listInstances()).toEqual([]);
  });

  it('reports a wrong consumer secret as TOKEN_REQUEST_FAILED with the provider’s problem, never the secret', async () => {
    const error = await rejection(begin('photos', 'not-the-secret-0123'));
    expect(error.code).toBe('TOKEN_REQUEST_FAILED');
    expect(error.details).toMatchObject({ status: 401, oauthProblem: 'signature_invalid' });
    expect(shown(error)).not.toContain('not-the-secret-0123');
    expect(await runtime.listInstances()).toEqual([]);
  });
});

describe('oauth1-pre-issued: NetSuite-style token-based authentication through createRuntime', () => {
  const REALM = '1234567_SB1';
  let provider: OAuth1Provider;
  let runtime: Runtime;

  beforeAll(async () => {
    provider = await startOAuth1Provider({ realm: REALM, signatureMethods: ['HMAC-SHA256'] });
    runtime = createRuntime({
      connectors: [
        connector(
          [
            {
              id: 'tba',
              type: 'oauth1-pre-issued',
              urls: { test: `${provider.apiUrl}/services/rest/record/v1/metadata-catalog` },
              variables: [{ key: 'realm', label: 'Account ID', required: true }],
            },
          ],
          [
            {
              id: 'customers',
              url: `${provider.apiUrl}/services/rest/record/v1/customer?${TRICKY_QUERY}`,
              methods: ['tba'],
            },
            {
              id: 'restlet',
              url: `${provider.apiUrl}/app/site/hosting/restlet.nl?script=12&deploy=1`,
              method: 'POST',
              bodyFormat: 'form',
              methods: ['tba'],
            },
          ],
          [oauth1PreIssued({ retries: 0 })],
        ),
      ],
      strategies: [oauth1PreIssued({ retries: 0 })],
      store: new MemoryStore(),
    });
  });
  afterAll(async () => {
    await runtime.close();
    await provider.close();
  });
  afterEach(async () => {
    for (const instance of await runtime.listInstances()) await runtime.deleteInstance(instance);
  });

  const add = (values: Record<string, string> = {}) =>
    runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'tba',
      name: 'NetSuite sandbox',
      variables: {
        realm: REALM,
        consumer_key: provider.consumer.key,
        consumer_secret: provider.consumer.secret,
        token_id: provider.issuedToken.key,
        token_secret: provider.issuedToken.secret,
        ...values,
      },
    });

  it('checks the credentials with a signed request, then signs every call with HMAC-SHA256 and the realm', async () => {
    const checks = provider.counts.api;
    const instance = await add();
    expect(provider.counts.api).toBe(checks + 1);
    const customers = await runtime.callEndpoint<OAuth1ProviderEcho>(instance, 'customers');
    expect(customers.data.token).toBe(provider.issuedToken.key);
    const restlet = await runtime.callEndpoint<OAuth1ProviderEcho>(instance, 'restlet', {
      body: { id: '42', memo: 'café & co' },
    });
    expect(restlet.data).toMatchObject({
      query: { script: '12', deploy: '1' },
      body: { id: '42', memo: 'café & co' },
    });
    const signed = provider.requests.filter((r) => r.path.startsWith('/api'));
    expect(signed.every((r) => r.realm === REALM && r.signatureMethod === 'HMAC-SHA256')).toBe(
      true,
    );
    expect(signed.every((r) => r.problem === undefined)).toBe(true);
  });

  for (const [what, values, problem] of [
    ['token secret', { token_secret: 'wrong-token-secret-000' }, 'signature_invalid'],
    ['realm', { realm: '7654321' }, 'realm_mismatch'],
    ['token id', { token_id: 'revoked-or-unknown-token' }, 'token_rejected'],
  ] as const) {
    it(`refuses a wrong ${what} with CREDENTIALS_INVALID and saves nothing`, async () => {
      const error = await rejection(add(values));
      expect(error.code).toBe('CREDENTIALS_INVALID');
      expect(error.details).toMatchObject({ authMethodId: 'tba', status: 401 });
      expect(provider.requests.at(-1)?.problem).toBe(problem);
      expect(shown(error)).not.toContain('wrong-token-secret-000');
      expect(shown(error)).not.toContain(provider.consumer.secret);
      expect(await runtime.listInstances()).toEqual([]);
    });
  }

  it('a revoked token surfaces as the API’s 401 on the next call', async () => {
    const revocable = await startOAuth1Provider({ realm: REALM });
    const local = createRuntime({
      connectors: [
        connector(
          [{ id: 'tba', type: 'oauth1-pre-issued' }],
          [{ id: 'me', url: `${revocable.apiUrl}/me`, methods: ['tba'] }],
          [oauth1PreIssued()],
        ),
      ],
      strategies: [oauth1PreIssued()],
    });
    try {
      const instance = await local.addInstance({
        connectorId: 'acme',
        authMethodId: 'tba',
        name: 'x',
        variables: {
          realm: REALM,
          consumer_key: revocable.consumer.key,
          consumer_secret: revocable.consumer.secret,
          token_id: revocable.issuedToken.key,
          token_secret: revocable.issuedToken.secret,
        },
      });
      expect((await local.callEndpoint(instance, 'me')).status).toBe(200);
      revocable.revoke(revocable.issuedToken.key);
      const error = await rejection(local.callEndpoint(instance, 'me'));
      expect(error.code).toBe('ENDPOINT_HTTP_ERROR');
      expect(error.details['status']).toBe(401);
      expect(shown(error)).not.toContain(revocable.issuedToken.secret);
    } finally {
      await local.close();
      await revocable.close();
    }
  });
});
