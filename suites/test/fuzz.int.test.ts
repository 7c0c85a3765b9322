// Fuzz of the token-response parser (issue 7 item 4). It is not exported from
// @splice/oauth2-authcode, so it is driven the way it runs in production: a real code exchange
// through runtime.completeAuthorization against a node:http token endpoint that answers with a
// fast-check-generated status, content type and body. 500 runs (each is an HTTP round trip).
// Allowed: an instance whose stored credentials are well-formed, or TOKEN_REQUEST_FAILED /
// TOKEN_RESPONSE_INVALID with nothing saved. Never another error, never a half-written store.
// The secret scan here covers what Splice sends (client secret, codes): generated bodies reuse
// token strings across runs, so tokens are scanned in faults.int.test.ts instead.
import { randomBytes } from 'node:crypto';
import { type JsonObject, MemoryStore, SpliceError, storeKeys } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthConnector } from './support/connector.js';
import { describeError } from './support/outcome.js';
import { SecretAudit } from './support/secretAudit.js';
import { answers, startTokenServer, type TokenServer } from './support/tokenServer.js';

const RUNS = 500;
const CLIENT_SECRET = `cs_${randomBytes(16).toString('base64url')}`;
const audit = new SecretAudit();
let tokens: TokenServer;
let store: MemoryStore;
let runtime: Runtime;

beforeAll(async () => {
  audit.secret(CLIENT_SECRET);
  tokens = await startTokenServer();
  store = new MemoryStore();
  const strategy = oauth2AuthorizationCode({ retries: 0 });
  runtime = createRuntime({
    connectors: [
      oauthConnector(strategy, {
        authorise: 'http://127.0.0.1:1/authorize',
        token: tokens.url,
        api: 'http://127.0.0.1:1',
      }),
    ],
    strategies: [strategy],
    store,
    callbackUrl: 'http://127.0.0.1:1/callback',
    logger: audit.logger,
  });
});

afterAll(async () => {
  await runtime.close();
  await tokens.close();
  expect(audit.leaks()).toEqual([]);
});

/** Values a provider might put in a token field: right, wrong, or absurd. */
const fieldValue = fc.oneof(
  fc.string({ minLength: 1, maxLength: 24 }).map((s) => `tok_${s}`),
  fc.constantFrom(
    '',
    ' ',
    '0',
    '-1',
    '3600',
    '3600.5',
    '1e3',
    '9'.repeat(400),
    'Bearer',
    'bearer',
    'MAC',
    'null',
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
);

const FIELDS = [
  'access_token',
  'token_type',
  'expires_in',
  'expires_at',
  'refresh_token',
  'scope',
  'error',
  'error_description',
  '__proto__',
  'data',
] as const;

function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)) ?? '';
}

const tokenObject = fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 7 });

/** Bodies: token-shaped JSON (flat or nested), raw numbers JSON cannot round-trip, forms, junk. */
const wellFormed = fc
  .record({
    access_token: fc.string({ minLength: 1, maxLength: 16 }).map((s) => `tok_${s}`),
    token_type: fc.constantFrom('Bearer', 'bearer'),
    expires_in: fc.oneof(fc.nat(), fc.nat().map(String)),
    refresh_token: fc.string({ maxLength: 16 }),
  })
  .map(json);

// Well-formed bodies weigh enough that a stored instance is common (about a fifth of the runs;
// only a 2xx reply can give one): at weight 2 the 'ok' count sat about 4 standard deviations
// above its RUNS / 20 bar, so a rare seed failed the run.
const body = fc.oneof(
  { weight: 10, arbitrary: wellFormed },
  { weight: 4, arbitrary: tokenObject.map(json) },
  { weight: 1, arbitrary: tokenObject.map((fields) => json({ data: fields })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('expires_in', 'expires_at'),
        fc.constantFrom(
          '1e400',
          '-1e400',
          '1e308',
          '-0',
          '0.000001',
          '9007199254740993',
          '1e12',
          '-5',
        ),
      )
      .map(
        ([key, raw]) => `{"access_token":"tok_raw_number","token_type":"Bearer","${key}":${raw}}`,
      ),
  },
  {
    weight: 1,
    arbitrary: tokenObject.map((fields) =>
      new URLSearchParams(
        Object.entries(fields).map(([k, v]): [string, string] => [
          k,
          typeof v === 'string' ? v : json(v),
        ]),
      ).toString(),
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map(json) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      '<html><body>ok</body></html>',
      '{',
      'null',
      '[]',
      '"x"',
      '{"access_token":"tok_a","access_token":7}',
    ),
  },
);

const reply = fc.record({
  status: fc.constantFrom(200, 200, 200, 201, 204, 299, 301, 400, 401, 404, 429, 500, 503),
  contentType: fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/problem+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'text/html',
    '',
  ),
  body,
});

describe('token-response parser (through the code exchange, against a real server)', () => {
  it(`yields well-formed credentials or a token error with nothing saved (${RUNS} runs)`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(reply, async ({ status, contentType, body: text }) => {
        tokens.always(answers.body(status, contentType, text));
        const { state } = await runtime.beginAuthorization({
          connectorId: 'acme',
          authMethodId: 'oauth',
          name: 'fuzz',
          variables: { client_id: 'client', client_secret: CLIENT_SECRET },
        });
        const instancesBefore = (await store.keys(storeKeys.instances)).length;
        const code = `code_${randomBytes(9).toString('base64url')}`;
        audit.secret(code);
        let instance: Awaited<ReturnType<Runtime['completeAuthorization']>>;
        try {
          instance = await runtime.completeAuthorization({ state, code });
        } catch (error) {
          audit.error(error);
          if (
            !SpliceError.is(error, 'TOKEN_REQUEST_FAILED') &&
            !SpliceError.is(error, 'TOKEN_RESPONSE_INVALID')
          )
            throw new Error(`unexpected ${describeError(error)}`);
          seen.set(error.code, (seen.get(error.code) ?? 0) + 1);
          expect((await store.keys(storeKeys.instances)).length).toBe(instancesBefore);
          return;
        }
        seen.set('ok', (seen.get('ok') ?? 0) + 1);
        expect(status >= 200 && status <= 299).toBe(true);
        const entry = await store.get<JsonObject>(storeKeys.credentials(instance.id));
        const stored = entry!.value as { values: Record<string, unknown>; expiresAt?: unknown };
        const { access_token, refresh_token, token_type } = stored.values;
        expect(typeof access_token === 'string' && access_token !== '').toBe(true);
        expect(refresh_token === undefined || typeof refresh_token === 'string').toBe(true);
        expect(typeof token_type).toBe('string');
        // An expiry is a real instant: a non-finite one would make the token never (or always)
        // expire, depending on how the store serializes it.
        expect(stored.expiresAt === undefined || Number.isFinite(stored.expiresAt)).toBe(true);
        audit.serialized(instance);
        await runtime.deleteInstance(instance.id);
      }),
      { numRuns: RUNS },
    );
    expect(seen.get('ok') ?? 0).toBeGreaterThan(RUNS / 20);
    expect(seen.get('TOKEN_RESPONSE_INVALID') ?? 0).toBeGreaterThan(RUNS / 20);
    expect(seen.get('TOKEN_REQUEST_FAILED') ?? 0).toBeGreaterThan(RUNS / 20);
  });
});
