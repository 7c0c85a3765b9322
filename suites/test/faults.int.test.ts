// Fault suite (issue 7 item 2): the token endpoint misbehaves in every way a real one does, during
// the code exchange (a new instance, and the renewal of an existing one) and during refresh. Each
// fault must give its documented error code, be retried only when it is transient (counted at the
// server), and leave the store exactly as it was: the raw entries, values and versions, compare
// equal before and after, so nothing is lost and nothing is half-written.
import { randomBytes, randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type JsonObject, type Store, storeKeys } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { RedisStore } from '@splice/store-redis';
import { SqliteStore } from '@splice/store-sqlite';
import {
  checkRedis,
  createFaultyStore,
  type FaultyStore,
  type ResourceServer,
  startResourceServer,
} from '@splice/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { oauthConnector } from './support/connector.js';
import { SecretAudit } from './support/secretAudit.js';
import { storeSnapshot } from './support/storeSnapshot.js';
import {
  answers,
  startTokenServer,
  type TokenAnswer,
  type TokenServer,
} from './support/tokenServer.js';

const audit = new SecretAudit();
const CLIENT_SECRET = `cs_${randomBytes(16).toString('base64url')}`;
const CALLBACK = 'http://127.0.0.1:1/oauth/callback';
// Transient failures get 1 + RETRIES attempts; everything else exactly one.
const RETRIES = 2;
const HOUR = 3_600_000;

let tokens: TokenServer;
let api: ResourceServer;
let store: SqliteStore;
let clock = Date.now();
let runtime: Runtime | undefined;

beforeAll(async () => {
  audit.secret(CLIENT_SECRET);
  tokens = await startTokenServer();
  // The API takes only access tokens the token endpoint issued.
  api = await startResourceServer({ verify: (token) => tokens.issued.includes(token) });
  store = new SqliteStore({
    path: join(tmpdir(), `splice-faults-${process.pid}-${Date.now()}.db`),
    encryption: false,
  });
});

afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  tokens.reset();
  for (const token of tokens.issued) audit.secret(token);
});

afterAll(async () => {
  await tokens.close();
  await api.close();
  await store.close();
  // Every error, log line and span of the faults above: no client secret, code, verifier or token.
  expect(audit.errorCount).toBeGreaterThan(30);
  expect(audit.spanCount).toBeGreaterThan(30);
  expect(audit.leaks()).toEqual([]);
});

/** A fault, what it must produce, and how many requests the server may see. */
interface Fault {
  readonly name: string;
  readonly answer: () => TokenAnswer;
  readonly code: string;
  readonly attempts: number;
  /** Code when the same fault answers a refresh, if it differs. */
  readonly refreshCode?: string;
  readonly timeoutSeconds?: number;
  readonly oauthError?: string;
  /** Minimum milliseconds the client must leave between two attempts. */
  readonly spacingMs?: number;
}

const FAULTS: readonly Fault[] = [
  { name: '500', answer: () => answers.status(500), code: 'TOKEN_REQUEST_FAILED', attempts: 3 },
  {
    name: '503 with Retry-After: 1',
    answer: () => answers.status(503, { 'retry-after': '1' }),
    code: 'TOKEN_REQUEST_FAILED',
    attempts: 3,
    spacingMs: 900,
  },
  { name: '429', answer: () => answers.status(429), code: 'TOKEN_REQUEST_FAILED', attempts: 3 },
  {
    name: 'no answer within timeoutSeconds',
    answer: answers.hang,
    code: 'TIMEOUT',
    attempts: 1,
    timeoutSeconds: 0.5,
  },
  {
    name: 'a reset connection',
    answer: answers.reset,
    code: 'TOKEN_REQUEST_FAILED',
    attempts: 3,
  },
  {
    name: 'malformed JSON with 200',
    answer: () => answers.body(200, 'application/json', '{"access_token": "at_cut_off_here", "tok'),
    code: 'TOKEN_RESPONSE_INVALID',
    attempts: 1,
  },
  {
    name: 'an HTML page with 200',
    answer: () =>
      answers.body(200, 'text/html', '<!doctype html><html><body><h1>Sign in</h1></body></html>'),
    code: 'TOKEN_RESPONSE_INVALID',
    attempts: 1,
  },
  {
    name: '200 with an OAuth error body',
    answer: () => answers.json(200, { error: 'invalid_request', error_description: 'nope' }),
    code: 'TOKEN_REQUEST_FAILED',
    attempts: 1,
    oauthError: 'invalid_request',
  },
  {
    name: '200 with invalid_grant',
    answer: () => answers.json(200, { error: 'invalid_grant' }),
    code: 'TOKEN_REQUEST_FAILED',
    // SPEC §4 step 4: a refused refresh token (unchanged in the store) is a dead grant.
    refreshCode: 'REAUTHORIZATION_REQUIRED',
    attempts: 1,
    oauthError: 'invalid_grant',
  },
  {
    name: 'an access_token that is not a string',
    answer: () => answers.json(200, { access_token: 12345678, token_type: 'Bearer' }),
    code: 'TOKEN_RESPONSE_INVALID',
    attempts: 1,
  },
  // An unusable expires_in (1e400, -5, "soon") is an unknown expiry, not a refusal: the tokens
  // are kept (oauth2-authcode strategy.test.ts).
  {
    name: 'a token_type that is not a string',
    answer: () => answers.json(200, { access_token: 'at_typed_wrong', token_type: 7 }),
    code: 'TOKEN_RESPONSE_INVALID',
    attempts: 1,
  },
];

function start(timeoutSeconds = 5, on: Store = store, apiUrl = api.url): Runtime {
  const strategy = oauth2AuthorizationCode({
    retries: RETRIES,
    retryMinDelayMs: 5,
    retryMaxDelayMs: 20,
    maxRetryAfterSeconds: 5,
  });
  runtime = createRuntime({
    connectors: [
      oauthConnector(strategy, {
        authorise: 'http://127.0.0.1:1/authorize',
        token: tokens.url,
        api: apiUrl,
        timeoutSeconds,
      }),
    ],
    strategies: [strategy],
    store: on,
    callbackUrl: CALLBACK,
    logger: audit.logger,
    now: () => clock,
  });
  return runtime;
}

const VARIABLES = { client_id: 'splice-client', client_secret: CLIENT_SECRET };

/** Begins an authorization and returns its state; the verifier is registered as a secret. */
async function begin(rt: Runtime, instanceId?: string, on: Store = store): Promise<string> {
  const { state } = await rt.beginAuthorization(
    instanceId === undefined
      ? { connectorId: 'acme', authMethodId: 'oauth', name: 'Faulty', variables: VARIABLES }
      : { instanceId },
  );
  const pending = await on.get<JsonObject>(storeKeys.pending(state));
  const data = pending?.value['data'] as JsonObject | undefined;
  audit.secret(data?.['code_verifier'] as string | undefined);
  return state;
}

function code(): string {
  const value = `code_${randomBytes(12).toString('base64url')}`;
  audit.secret(value);
  return value;
}

async function addInstance(rt: Runtime, on: Store = store): Promise<string> {
  const state = await begin(rt, undefined, on);
  const instance = await rt.completeAuthorization({ state, code: code() });
  audit.serialized(instance);
  tokens.reset();
  return instance.id;
}

function expectFault(error: Error & Record<string, unknown>, fault: Fault, code: string): void {
  expect(error.name).toBe('SpliceError');
  expect(error.code).toBe(code);
  expect(tokens.requests).toHaveLength(fault.attempts);
  if (fault.oauthError !== undefined && code === 'TOKEN_REQUEST_FAILED') {
    expect((error.details as JsonObject)['oauthError']).toBe(fault.oauthError);
  }
  if (fault.spacingMs !== undefined) {
    for (let i = 1; i < tokens.requests.length; i++) {
      const gap = tokens.requests[i]!.at - tokens.requests[i - 1]!.at;
      expect(gap).toBeGreaterThanOrEqual(fault.spacingMs);
    }
  }
}

describe.each(FAULTS)('token endpoint answers $name', (fault) => {
  it('code exchange of a new instance: documented code, bounded attempts, nothing saved', async () => {
    const rt = start(fault.timeoutSeconds);
    const state = await begin(rt);
    const before = await storeSnapshot(store);
    tokens.always(fault.answer());
    const error = await audit.rejection(rt.completeAuthorization({ state, code: code() }));
    expectFault(error, fault, fault.code);
    expect(tokens.requests.every((r) => r.grant === 'authorization_code')).toBe(true);
    expect(await storeSnapshot(store)).toEqual(before);
    // The state was consumed: the same callback cannot be replayed into a second exchange.
    expect(await store.get(storeKeys.pending(state))).toBeUndefined();
  });

  it('code exchange renewing an instance: its credentials and record stay as they were', async () => {
    const rt = start(fault.timeoutSeconds);
    const id = await addInstance(rt);
    const state = await begin(rt, id);
    const before = await storeSnapshot(store);
    expect(before[storeKeys.credentials(id)]).toBeDefined();
    tokens.always(fault.answer());
    const error = await audit.rejection(rt.completeAuthorization({ state, code: code() }));
    expectFault(error, fault, fault.code);
    expect(await storeSnapshot(store)).toEqual(before);
    audit.serialized(await rt.getInstance(id));
  });

  it('refresh of an expired token: documented code, bounded attempts, credentials untouched', async () => {
    const rt = start(fault.timeoutSeconds);
    const id = await addInstance(rt);
    const credentialsKey = storeKeys.credentials(id);
    const before = await storeSnapshot(store);
    const stored = before[credentialsKey]!.value as { values: Record<string, string> };
    clock += 2 * HOUR;
    const apiBefore = api.counts.requests;
    tokens.always(fault.answer());
    const error = await audit.rejection(rt.callEndpoint(id, 'orders'));
    const expected = fault.refreshCode ?? fault.code;
    expectFault(error, fault, expected);
    expect(tokens.requests.every((r) => r.grant === 'refresh_token')).toBe(true);
    expect(api.counts.requests).toBe(apiBefore); // no request went out with a dead token
    const after = await storeSnapshot(store);
    expect(after[credentialsKey]).toEqual(before[credentialsKey]);
    if (expected === 'REAUTHORIZATION_REQUIRED') {
      // The only write allowed: the record's status (SPEC §4 step 4), credentials kept as they were.
      const record = after[storeKeys.instance(id)]!.value as JsonObject;
      expect(record['status']).toBe('reauthorization_required');
      return;
    }
    expect(after).toEqual(before);
    // Nothing lost: the next refresh presents the very refresh token that was stored, and works.
    tokens.reset();
    const result = await rt.callEndpoint(id, 'orders');
    expect(result.status).toBe(200);
    expect(tokens.requests).toHaveLength(1);
    expect(tokens.requests[0]!.params.get('refresh_token')).toBe(stored.values['refresh_token']);
    expect((await store.get(credentialsKey))!.version).toBe(before[credentialsKey]!.version + 1);
  });
});

describe('token_type (RFC 6749 §7.1: a client must not use a token type it does not understand)', () => {
  // The strategy's default apply sends `Authorization: Bearer …` (RFC 6750).
  it('refuses token_type "mac" in the code exchange with TOKEN_RESPONSE_INVALID, saving nothing', async () => {
    const rt = start();
    const state = await begin(rt);
    const before = await storeSnapshot(store);
    tokens.always(answers.json(200, { access_token: 'at_mac_typed_token', token_type: 'mac' }));
    const outcome = await rt.completeAuthorization({ state, code: code() }).then(
      (instance) => instance,
      (error: unknown) => audit.error(error),
    );
    expect(outcome).toMatchObject({ code: 'TOKEN_RESPONSE_INVALID' });
    expect((outcome as Error).message).toContain('"token_type" is "mac"');
    expect(await storeSnapshot(store)).toEqual(before);
  });

  it('accepts "bearer" in any letter case (RFC 6749 §5.1: case-insensitive)', async () => {
    const rt = start();
    const state = await begin(rt);
    tokens.always(
      answers.json(200, {
        access_token: 'at_lower_bearer_1',
        token_type: 'bearer',
        expires_in: 60,
      }),
    );
    audit.secret('at_lower_bearer_1');
    const instance = await rt.completeAuthorization({ state, code: code() });
    audit.serialized(instance);
    expect(instance.status).toBe('active');
  });
});

describe('error messages of refused token requests', () => {
  // A gateway may answer 5xx with a relayed token response: only OAuth error fields of a JSON or
  // form body are ever quoted, and other text only as a redacted excerpt.
  it('never echo an access token found in a non-2xx body', async () => {
    const rt = start();
    const id = await addInstance(rt);
    clock += 2 * HOUR;
    const leaked = `at_${randomBytes(12).toString('base64url')}`;
    tokens.always(answers.json(502, { access_token: leaked, token_type: 'Bearer' }));
    audit.secret(leaked);
    const error = await rt.callEndpoint(id, 'orders').catch((e: unknown) => audit.error(e));
    expect(error).toMatchObject({ code: 'TOKEN_REQUEST_FAILED' });
    expect(String(error)).toContain('502');
    expect(String(error)).not.toContain(leaked);
  });
});

describe('a failing refresh under concurrency', () => {
  it('20 callers of an expired instance share one retried refresh: 3 requests, one error code, nothing written', async () => {
    const rt = start();
    const id = await addInstance(rt);
    clock += 2 * HOUR;
    const before = await storeSnapshot(store);
    tokens.always(answers.status(500));
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () => rt.callEndpoint(id, 'orders')),
    );
    const codes = new Set(
      results.map((r) => (r.status === 'rejected' ? audit.error(r.reason) && r.reason.code : 'ok')),
    );
    expect([...codes]).toEqual(['TOKEN_REQUEST_FAILED']);
    expect(tokens.requests).toHaveLength(1 + RETRIES);
    expect(await storeSnapshot(store)).toEqual(before);
  });
});

// Issue kind: durability of everything the provider issued. The store fails right after the token
// endpoint answered: the exchange's credentials, the new instance's record, a refresh's rotated
// credentials. Each is retried until it lands (the caller never notices), or, for the exchange,
// fails loudly (STORE_UNAVAILABLE, nothing half-written) when the store stays down.
const redis = await checkRedis();
const STORES = [
  {
    name: 'SQLite',
    skip: false,
    reason: '',
    open: (): Store =>
      new SqliteStore({
        path: join(tmpdir(), `splice-faults-durable-${process.pid}-${Date.now()}.db`),
        encryption: false,
      }),
  },
  {
    name: 'Redis',
    skip: !redis.available,
    reason: redis.reason,
    open: (): Store =>
      new RedisStore({ prefix: `splice-test:faults:${randomUUID()}:`, encryption: false }),
  },
];

for (const kind of STORES)
  describe(`the store fails after the provider answered (${kind.name}${kind.reason})`, () => {
    let faulty: FaultyStore;
    beforeAll(() => {
      if (!kind.skip) faulty = createFaultyStore(kind.open());
    });
    afterAll(async () => {
      if (kind.skip) return;
      for (const key of await faulty.keys('')) await faulty.delete(key);
      await faulty.close();
    });
    /** A runtime on the faulty store, an instance, and a begun renewal of its consent. */
    const renewing = async () => {
      const rt = start(5, faulty);
      const id = await addInstance(rt, faulty);
      return { rt, id, state: await begin(rt, id, faulty) };
    };
    const stored = async (key: string) =>
      (await faulty.get<JsonObject>(key))?.value as { values: Record<string, string> } | undefined;

    for (const prefix of ['credentials:', 'instance:']) {
      it.skipIf(kind.skip)(
        `code exchange, ${prefix} write failing twice: retried, the instance is added with what was issued`,
        async () => {
          const rt = start(5, faulty);
          const state = await begin(rt, undefined, faulty);
          const faultsBefore = faulty.faults;
          faulty.arm({ keyPrefix: prefix, times: 2 });
          const instance = await rt.completeAuthorization({ state, code: code() });
          audit.serialized(instance);
          expect(faulty.faults - faultsBefore).toBe(2);
          const credentials = await stored(storeKeys.credentials(instance.id));
          // The access token the provider issued for this exchange is the one stored.
          expect(credentials?.values['access_token']).toBe(tokens.issued.at(-2));
          expect((await rt.getInstance(instance.id))?.status).toBe('active');
          expect((await rt.callEndpoint(instance.id, 'orders')).status).toBe(200);
        },
      );

      it.skipIf(kind.skip)(
        `code exchange, ${prefix} write failing every time: STORE_UNAVAILABLE saying so, nothing half-written`,
        async () => {
          const rt = start(5, faulty);
          const state = await begin(rt, undefined, faulty);
          const before = await storeSnapshot(faulty);
          faulty.arm({ keyPrefix: prefix, times: 100 });
          const error = await audit.rejection(rt.completeAuthorization({ state, code: code() }));
          faulty.arm({ keyPrefix: prefix, times: 0 });
          expect(error.code).toBe('STORE_UNAVAILABLE');
          expect(error.message).toContain('The provider issued credentials for a new instance');
          expect(error.message).toContain('no instance was added');
          expect(tokens.requests).toHaveLength(1);
          expect(await storeSnapshot(faulty)).toEqual(before);
        },
      );
    }

    it.skipIf(kind.skip)(
      'renewal, credentials write failing twice: retried, the instance is active with what was issued',
      async () => {
        const { rt, id, state } = await renewing();
        const faultsBefore = faulty.faults;
        faulty.arm({ keyPrefix: 'credentials:', times: 2 });
        audit.serialized(await rt.completeAuthorization({ state, code: code() }));
        expect(faulty.faults - faultsBefore).toBe(2);
        expect((await stored(storeKeys.credentials(id)))?.values['access_token']).toBe(
          tokens.issued.at(-2),
        );
        expect((await rt.callEndpoint(id, 'orders')).status).toBe(200);
      },
    );

    it.skipIf(kind.skip)(
      'renewal, credentials write failing every time: STORE_UNAVAILABLE saying so, the instance as it was',
      async () => {
        const { rt, id, state } = await renewing();
        const before = await storeSnapshot(faulty);
        faulty.arm({ keyPrefix: 'credentials:', times: 100 });
        const error = await audit.rejection(rt.completeAuthorization({ state, code: code() }));
        faulty.arm({ keyPrefix: 'credentials:', times: 0 });
        expect(error.code).toBe('STORE_UNAVAILABLE');
        expect(error.message).toContain('keeps its previous credentials and status');
        expect(await storeSnapshot(faulty)).toEqual(before);
        expect((await rt.callEndpoint(id, 'orders')).status).toBe(200);
      },
    );

    it.skipIf(kind.skip)(
      'refresh, credentials write failing once: the call succeeds, the rotated refresh token lands',
      async () => {
        const rt = start(5, faulty);
        const id = await addInstance(rt, faulty);
        clock += 2 * HOUR;
        const faultsBefore = faulty.faults;
        faulty.arm({ keyPrefix: 'credentials:', times: 1 });
        const result = await rt.callEndpoint(id, 'orders');
        expect(result.status).toBe(200);
        expect(faulty.faults - faultsBefore).toBe(1);
        expect(tokens.requests).toHaveLength(1);
        const issuedRefresh = tokens.issued.at(-1)!;
        while ((await stored(storeKeys.credentials(id)))?.values['refresh_token'] !== issuedRefresh)
          await new Promise((resolve) => setTimeout(resolve, 20));
        expect((await rt.getInstance(id))?.status).toBe('active');
        // The next refresh presents the rotated refresh token.
        clock += 2 * HOUR;
        tokens.reset();
        expect((await rt.callEndpoint(id, 'orders')).status).toBe(200);
        expect(tokens.requests).toHaveLength(1);
        expect(tokens.requests[0]!.params.get('refresh_token')).toBe(issuedRefresh);
      },
    );
  });

describe('refresh amplification: an API answering 401 to every token', () => {
  it('20 waves of 25 concurrent calls send at most 5 refreshes, then REFRESH_LIMITED', async () => {
    const refusing = await startResourceServer({ verify: () => false });
    try {
      const rt = start(5, store, refusing.url);
      const id = await addInstance(rt);
      const codes = new Set<string>();
      for (let wave = 0; wave < 20; wave++) {
        const results = await Promise.allSettled(
          Array.from({ length: 25 }, () => rt.callEndpoint(id, 'orders')),
        );
        for (const r of results)
          codes.add(
            r.status === 'rejected'
              ? String((audit.error(r.reason) as { code?: unknown }).code)
              : 'ok',
          );
      }
      expect(tokens.requests.filter((r) => r.grant === 'refresh_token')).toHaveLength(5);
      expect(codes).toContain('REFRESH_LIMITED');
      expect([...codes].every((c) => c === 'REFRESH_LIMITED' || c === 'ENDPOINT_HTTP_ERROR')).toBe(
        true,
      );
    } finally {
      await refusing.close();
    }
  });
});
