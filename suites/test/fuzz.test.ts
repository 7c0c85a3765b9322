// Fuzz (issue 7 item 4), pure targets, 10,000 runs each: parseConnector on arbitrary and mutated
// definitions, and the callback parser behind runtime.completeAuthorization on arbitrary input.
// Allowed outcomes: a clean result, a SpliceError, or a coded (INVALID_ARGUMENT / INVALID_OPTION)
// TypeError. Anything else (a crash, a RangeError, an uncoded TypeError) fails with its input.
// The token-response parser needs a server round trip: see fuzz.int.test.ts.
import {
  type DefinitionIssue,
  type JsonValue,
  MemoryStore,
  parseConnector,
  parseConnectorText,
  SpliceError,
} from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import fc from 'fast-check';
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { oauthConnector } from './support/connector.js';
import { classify, describeError } from './support/outcome.js';

const RUNS = 10_000;
const TIMEOUT = { timeout: 180_000 };
const strategy = oauth2AuthorizationCode({ retries: 0 });

/** A valid definition input (what a YAML file holds) to mutate. */
const BASE: Record<string, JsonValue> = {
  id: 'acme',
  name: 'Acme',
  version: '1',
  rateLimit: { amount: 10, unit: 'second' },
  variables: [{ key: 'account', label: 'Account', required: true }],
  authMethods: [
    {
      id: 'acme-oauth',
      name: 'Acme OAuth',
      type: 'oauth2-authorization-code',
      timeoutSeconds: 30,
      variables: [
        { key: 'client_id', required: true },
        { key: 'client_secret', required: true, secret: true },
        { key: 'scope', default: 'orders.read' },
      ],
      urls: {
        authorise: 'https://auth.acme.example/authorize/{{account}}',
        token: 'https://auth.acme.example/token/{{account}}',
      },
      request: { query: {}, headers: { 'X-Api-Version': '2024-01' }, body: {} },
      apply: { headers: { Authorization: 'Bearer {{access_token}}' } },
    },
  ],
  endpoints: [
    {
      id: 'list-orders',
      name: 'List orders',
      entity: 'orders',
      direction: 'receive',
      method: 'GET',
      url: 'https://api.acme.example/{{account}}/orders?status={{status}}',
      dataType: 'json',
      variables: [{ key: 'status', default: 'open' }],
      authMethods: ['acme-oauth'],
    },
  ],
};

/** A small valid definition as block YAML (the format definition files use) and as JSON. */
const YAML_TEXT = `id: acme
name: Acme
version: "1"
authMethods:
  - id: m
    name: M
    type: oauth2-authorization-code
    variables: [{ key: client_id, required: true }]
    urls: { authorise: "https://a.example/x", token: "https://a.example/t" }
endpoints:
  - { id: e, name: E, entity: x, direction: receive, method: GET,
      url: "https://api.example/{{id}}", variables: [{ key: id }], dataType: json,
      authMethods: [m] }
`;
const JSON_TEXT = JSON.stringify({
  id: 'acme',
  name: 'Acme',
  version: '1',
  authMethods: [
    {
      id: 'm',
      name: 'M',
      type: 'oauth2-authorization-code',
      variables: [{ key: 'client_id', required: true }],
      urls: { authorise: 'https://a.example/x', token: 'https://a.example/t' },
    },
  ],
  endpoints: [
    {
      id: 'e',
      name: 'E',
      entity: 'x',
      direction: 'receive',
      method: 'GET',
      url: 'https://api.example/{{id}}',
      variables: [{ key: 'id' }],
      dataType: 'json',
      authMethods: ['m'],
    },
  ],
});

type Path = readonly (string | number)[];

function pathsOf(value: JsonValue, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) out.push(...pathsOf(item, [...prefix, i]));
  } else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value)) out.push(...pathsOf(item, [...prefix, key]));
  return out;
}
const PATHS = pathsOf(BASE).filter((p) => p.length > 0);

/** What a mutation writes: anything, near-misses of valid values, template and prototype tricks. */
const replacement = fc.oneof(
  fc.anything({
    maxDepth: 2,
    maxKeys: 4,
    withNullPrototype: true,
    withBigInt: true,
    withDate: true,
    withMap: true,
  }),
  fc.constantFrom(
    '',
    '{{',
    '{{ }}',
    '{{account',
    'https://{{a}}/x',
    'http://example.com',
    'https://u:p@host.example/x',
    'https://{{a}}x.example/',
    'https://h.example:{{p}}/',
    '{{access_token}}',
    'access_token',
    '__proto__',
    'constructor',
    'x'.repeat(1025),
    -1,
    0,
    Number.POSITIVE_INFINITY,
    Number.NaN,
    3601,
    null,
    true,
    [],
    {},
  ),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

interface Mutation {
  readonly path: Path;
  readonly op: 'set' | 'delete' | 'add-key';
  readonly value: unknown;
  readonly key: string;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.constantFrom(...PATHS),
  op: fc.constantFrom('set', 'delete', 'add-key'),
  value: replacement,
  key: fc.oneof(
    fc.string({ maxLength: 8 }),
    fc.constantFrom('__proto__', 'constructor', 'toString'),
  ),
});

/**
 * A deep copy of a generated replacement: its prototype (null or not), own keys (`__proto__`
 * included), arrays, Maps and Dates. A constant (`[]`, `{}`) is one object for every run, and
 * fast-check hands the same generated object to every shrink attempt (`mapper` runs again on it);
 * a later mutation writes into the replacement it lands in, so without a copy a run would start
 * from what the runs before it left behind, and a failing seed would not replay.
 */
function fresh(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(fresh);
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [fresh(k), fresh(v)]));
  if (value instanceof Date) return new Date(value.getTime());
  const copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
  for (const key of Object.keys(value))
    Object.defineProperty(copy, key, {
      value: fresh((value as Record<string, unknown>)[key]),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return copy;
}

function mutate(base: JsonValue, mutations: readonly Mutation[]): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  for (const { path, op, value: generated, key } of mutations) {
    const value = fresh(generated);
    let parent: Record<string | number, unknown> = copy;
    for (const part of path.slice(0, -1)) {
      const next = parent[part];
      if (typeof next !== 'object' || next === null) break;
      parent = next as Record<string | number, unknown>;
    }
    const last = path.at(-1)!;
    if (op === 'delete') delete parent[last];
    else if (op === 'add-key') {
      // An array's `length` (fast-check likes that key) cannot be redefined: no input has one.
      if (Object.getOwnPropertyDescriptor(parent, key)?.configurable === false) continue;
      Object.defineProperty(parent, key, {
        value,
        enumerable: true,
        configurable: true,
        writable: true,
      });
    } else parent[last] = value;
  }
  return copy;
}

/** Runs `fn`; a result passes, a SpliceError or coded TypeError passes, anything else throws. */
function cleanly(seen: Map<string, number>, fn: () => unknown): void {
  try {
    fn();
    seen.set('ok', (seen.get('ok') ?? 0) + 1);
  } catch (error) {
    const kind = classify(error);
    if (kind === undefined) throw new Error(`unexpected ${describeError(error)}`);
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
  }
}

describe('parseConnector under fuzz', TIMEOUT, () => {
  it(`returns a definition or CONNECTOR_INVALID for mutated and arbitrary input (${RUNS} runs)`, () => {
    const seen = new Map<string, number>();
    const input = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.array(mutation, { minLength: 1, maxLength: 4 }).map((m) => mutate(BASE, m)),
      },
      {
        weight: 1,
        arbitrary: fc.anything({ maxDepth: 3, withNullPrototype: true, withBigInt: true }),
      },
    );
    fc.assert(
      fc.property(input, fc.boolean(), (definition, withStrategy) => {
        cleanly(seen, () => {
          const parsed = parseConnector(definition, withStrategy ? { strategies: [strategy] } : {});
          if (typeof parsed.id !== 'string' || !Array.isArray(parsed.endpoints))
            throw new Error('parseConnector returned something that is not a definition');
        });
      }),
      { numRuns: RUNS },
    );
    // Both outcomes happened, and every refusal was the one documented code.
    expect(seen.get('ok') ?? 0).toBeGreaterThan(RUNS / 20);
    expect([...seen.keys()].sort()).toEqual(['CONNECTOR_INVALID', 'ok']);
  });

  it(`refuses a mutated definition that contains itself with the one cycle issue (${RUNS / 10} runs)`, () => {
    // A mutated definition, then one of its values (at any path it now has) replaced by the
    // object holding it: a JS caller can pass that, and a YAML alias inside its own anchor makes it.
    const cyclic = fc
      .tuple(fc.array(mutation, { maxLength: 3 }), fc.nat())
      .map(([mutations, pick]) => {
        const definition = mutate(BASE, mutations) as JsonValue;
        const paths = pathsOf(definition).filter((p) => p.length > 0);
        const path = paths[pick % paths.length]!;
        let parent = definition as Record<string | number, unknown>;
        for (const part of path.slice(0, -1)) parent = parent[part] as typeof parent;
        Object.defineProperty(parent, path.at(-1)!, { value: parent, enumerable: true });
        return definition;
      });
    fc.assert(
      fc.property(cyclic, fc.boolean(), (definition, withStrategy) => {
        let error: unknown;
        try {
          parseConnector(definition, withStrategy ? { strategies: [strategy] } : {});
        } catch (e) {
          error = e;
        }
        expect(SpliceError.is(error, 'CONNECTOR_INVALID'), describeError(error)).toBe(true);
        const issues = (error as SpliceError).details['issues'] as DefinitionIssue[];
        expect(issues).toHaveLength(1);
        expect(issues[0]).toMatchObject({
          code: 'cycle',
          message: expect.stringMatching(/^refers back to /),
        });
      }),
      { numRuns: RUNS / 10 },
    );
  });

  it(`parses arbitrary JSON and YAML text into a definition or CONNECTOR_INVALID (${RUNS} runs)`, () => {
    const seen = new Map<string, number>();
    // Syntax-level fuzz (the semantic mutations are the property above): arbitrary text, YAML
    // token soup, and a valid definition's text with characters inserted or removed.
    const edited = fc
      .tuple(
        fc.constantFrom(YAML_TEXT, JSON_TEXT),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.nat({ max: 3 }),
            fc.constantFrom(
              '',
              ':',
              '-',
              '"',
              '*a',
              '&a ',
              '{',
              ']',
              '\n',
              ' ',
              '!!binary ',
              '? ',
              '\t',
              '%YAML 1.1\n',
              '<<: ',
            ),
          ),
          { minLength: 1, maxLength: 3 },
        ),
      )
      .map(([source, edits]) => {
        let out = source;
        for (const [at, remove, insert] of edits) {
          const i = at % (out.length + 1);
          out = out.slice(0, i) + insert + out.slice(i + remove);
        }
        return out;
      });
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      edited,
      fc
        .array(
          fc.constantFrom(
            'a:',
            ' - ',
            '{',
            '}',
            '[',
            '"',
            "'",
            '&x',
            '*x',
            '!!js',
            '\n',
            '  ',
            '#',
            'id: acme',
            '? ',
            '|',
            '>',
          ),
          { maxLength: 12 },
        )
        .map((p) => p.join('')),
    );
    // yaml warns through process.emitWarning when a key is a collection ("? [a]: b"): counted
    // here rather than printed 10,000 times; parseConnector then refuses the definition anyway.
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    onTestFinished(() => warnings.mockRestore());
    fc.assert(
      fc.property(text, fc.constantFrom('json', 'yaml'), (source, format) => {
        cleanly(seen, () =>
          parseConnectorText(source, format as 'json' | 'yaml', { strategies: [strategy] }),
        );
      }),
      // The unedited texts run first, so a parse that accepts valid text is always seen: random
      // edits keep a definition valid too rarely to count on in every seed.
      {
        numRuns: RUNS,
        examples: [
          [YAML_TEXT, 'yaml'],
          [JSON_TEXT, 'json'],
        ],
      },
    );
    expect(seen.get('ok') ?? 0).toBeGreaterThan(0);
    expect(seen.get('CONNECTOR_INVALID') ?? 0).toBeGreaterThan(RUNS / 2);
    const other = [...seen.keys()].filter((k) => k !== 'ok' && k !== 'CONNECTOR_INVALID');
    expect(other).toEqual([]);
  });

  it('reports a YAML alias without its anchor as CONNECTOR_INVALID', () => {
    for (const text of ['*x', 'id: *x', 'a: &x 1\nb: *y']) {
      let thrown: unknown;
      try {
        parseConnectorText(text, 'yaml');
      } catch (error) {
        thrown = error;
      }
      expect(classify(thrown)).toBe('CONNECTOR_INVALID');
    }
  });
});

describe('completeAuthorization (the callback parser) under fuzz', TIMEOUT, () => {
  // Token URL on a closed loopback port: an exchange that gets that far fails at once with
  // TOKEN_REQUEST_FAILED, without a server, so the whole callback path runs in a unit test.
  const connector = oauthConnector(strategy, {
    authorise: 'http://127.0.0.1:1/authorize',
    token: 'http://127.0.0.1:1/token',
    api: 'http://127.0.0.1:1',
    variables: [{ key: 'issuer', default: 'http://127.0.0.1:1' }],
  });
  const runtime = createRuntime({
    connectors: [connector],
    strategies: [strategy],
    store: new MemoryStore(),
    callbackUrl: 'http://127.0.0.1:1/callback',
  });
  afterAll(() => runtime.close());

  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'a://', 'x+y://', 'HTTP://', '?', ''),
        fc.string({ maxLength: 30 }),
      )
      .map(([a, b]) => a + b),
    fc
      .array(
        fc.tuple(
          fc.constantFrom('state', 'code', 'iss', 'error', 'error_description', 'x'),
          fc.string({ maxLength: 10 }),
        ),
        { maxLength: 6 },
      )
      .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`),
  );
  const callback = fc.oneof(
    text,
    text.filter((t) => URL.canParse(t)).map((t) => new URL(t)),
    fc
      .array(fc.tuple(fc.string(), fc.string()), { maxLength: 5 })
      .map((pairs) => new URLSearchParams(pairs)),
    fc.dictionary(
      fc.oneof(
        fc.constantFrom('state', 'code', 'iss', 'error', '__proto__'),
        fc.string({ maxLength: 6 }),
      ),
      fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.anything()),
      { maxKeys: 5 },
    ),
    fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true }),
  );

  it(`refuses arbitrary callbacks with AUTH_STATE_INVALID or a coded TypeError (${RUNS} runs)`, async () => {
    const seen = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(callback, async (input) => {
        try {
          await runtime.completeAuthorization(input as never);
          throw new Error('an arbitrary callback completed an authorization');
        } catch (error) {
          const kind = classify(error);
          if (kind === undefined) throw new Error(`unexpected ${describeError(error)}`);
          seen.set(kind, (seen.get(kind) ?? 0) + 1);
        }
      }),
      { numRuns: RUNS },
    );
    expect([...seen.keys()].sort()).toEqual(['AUTH_STATE_INVALID', 'TypeError:INVALID_ARGUMENT']);
  });

  const WITH_STATE_RUNS = 1_000; // each run begins an authorization and may attempt a connection
  it(`judges arbitrary parameters next to a live state cleanly (${WITH_STATE_RUNS} runs)`, async () => {
    const seen = new Map<string, number>();
    const params = fc.dictionary(
      fc.constantFrom('code', 'iss', 'error', 'error_description', 'state', 'x'),
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 20 }),
        fc.constant('http://127.0.0.1:1'),
        fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
      ),
      { maxKeys: 6 },
    );
    await fc.assert(
      fc.asyncProperty(params, fc.constantFrom('object', 'query', 'url'), async (extra, form) => {
        const { state } = await runtime.beginAuthorization({
          connectorId: connector.id,
          authMethodId: 'oauth',
          name: 'fuzz',
          variables: { client_id: 'c', client_secret: 'client-secret-value' },
        });
        const values: Record<string, string | string[]> = { ...extra, state };
        const query = new URLSearchParams();
        for (const [k, v] of Object.entries(values))
          for (const item of Array.isArray(v) ? v : [v]) query.append(k, item);
        const input =
          form === 'object'
            ? values
            : form === 'query'
              ? `?${query}`
              : `http://127.0.0.1:1/callback?${query}`;
        try {
          const instance = await runtime.completeAuthorization(input);
          throw new Error(`completed without a token endpoint: ${instance.id}`);
        } catch (error) {
          const kind = classify(error);
          if (kind === undefined) throw new Error(`unexpected ${describeError(error)}`);
          seen.set(kind, (seen.get(kind) ?? 0) + 1);
        }
      }),
      { numRuns: WITH_STATE_RUNS },
    );
    for (const kind of seen.keys())
      expect([
        'AUTH_ISSUER_MISMATCH',
        'AUTH_DENIED',
        'AUTH_STATE_INVALID',
        'TOKEN_REQUEST_FAILED',
      ]).toContain(kind);
    expect(seen.get('AUTH_ISSUER_MISMATCH') ?? 0).toBeGreaterThan(0);
  });

  // Large provider text (finding: a 32 KB error_description took seconds to redact). Shapes that
  // made the old redaction quadratic; the bound per byte is a generous regression guard (the
  // linear path reads a few hundred characters in about a millisecond, the quadratic one took
  // seconds for 64 KB and minutes for 256 KB), not a benchmark.
  const LARGE = 64 * 1024;
  const MICROSECONDS_PER_BYTE = 4;
  it.each([
    ['a-a-', 'a-'],
    ['tokentoken', 'token'],
    ['"token":"', '"token":"'],
    ['Bearer ', 'Bearer '],
  ])(
    'refuses a callback whose error_description is 64 KB of %s, in time linear in its size',
    async (_name, unit) => {
      const { state } = await runtime.beginAuthorization({
        connectorId: connector.id,
        authMethodId: 'oauth',
        name: 'large',
        variables: { client_id: 'c', client_secret: 'client-secret-value' },
      });
      const description = unit.repeat(Math.ceil(LARGE / unit.length));
      const started = process.hrtime.bigint();
      const error = await runtime
        .completeAuthorization({
          state,
          iss: 'http://127.0.0.1:1',
          error: 'access_denied',
          error_description: description,
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      const micros = Number(process.hrtime.bigint() - started) / 1000;
      expect(classify(error)).toBe('AUTH_DENIED');
      const details = (error as { details: { providerErrorDescription: string } }).details;
      expect(details.providerErrorDescription.length).toBeLessThanOrEqual(201);
      expect(micros / description.length).toBeLessThan(MICROSECONDS_PER_BYTE);
    },
  );
});
