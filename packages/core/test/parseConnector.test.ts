import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type AuthStrategy,
  type DefinitionIssue,
  MAX_DEFINITION_DEPTH,
  type ParseConnectorOptions,
  parseConnector,
  parseConnectorText,
  resolveAuthMethod,
  SpliceError,
  type VariableDefinition,
} from '@splice/core';
import { describe, expect, it, vi } from 'vitest';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

type Json = Record<string, unknown>;

/** A valid definition; each test breaks one thing. */
function valid(): Json {
  return {
    id: 'acme',
    name: 'Acme',
    version: '1',
    variables: [{ key: 'account', required: true }],
    authMethods: [
      {
        id: 'oauth',
        name: 'OAuth',
        type: 'oauth2-authorization-code',
        variables: [{ key: 'client_id', required: true }],
        urls: { token: 'https://auth.acme.example/token/{{account}}' },
        request: { headers: { 'X-Api-Version': '2024-01' } },
        apply: { headers: { Authorization: 'Bearer {{access_token}}' } },
      },
      { id: 'key', name: 'API key', type: 'api-key' },
    ],
    endpoints: [
      {
        id: 'list-orders',
        name: 'List orders',
        method: 'GET',
        url: 'https://api.acme.example/{{account}}/orders?status={{status}}',
        variables: [{ key: 'status', default: 'open' }],
        authMethods: ['oauth'],
      },
      {
        id: 'create-order',
        name: 'Create order',
        method: 'POST',
        direction: 'send',
        url: 'https://api.acme.example/{{account}}/orders',
        request: { body: { token: '{{access_token}}' } },
        authMethods: ['oauth', 'key'],
      },
    ],
  };
}

// Helpers to reach into the plain-object fixture.
const at = (input: Json, ...path: (string | number)[]): Json =>
  path.reduce<unknown>((node, key) => (node as Json)[key as string], input) as Json;

function failure(input: unknown, options?: ParseConnectorOptions): SpliceError {
  try {
    parseConnector(input, options);
  } catch (error) {
    if (SpliceError.is(error, 'CONNECTOR_INVALID')) return error;
    throw error;
  }
  throw new Error('expected CONNECTOR_INVALID, the definition was accepted');
}

const issuesOf = (input: unknown, options?: ParseConnectorOptions): DefinitionIssue[] =>
  failure(input, options).details['issues'] as DefinitionIssue[];

const variable = (key: string, extra: Partial<VariableDefinition> = {}): VariableDefinition => ({
  key,
  required: false,
  configurable: false,
  advanced: false,
  secret: false,
  locked: true,
  ...extra,
});

function oauthStrategy(validate?: AuthStrategy['validateMethod']): AuthStrategy {
  return {
    type: 'oauth2-authorization-code',
    interactive: true,
    variables: [
      variable('client_id', { label: 'Client ID', required: true }),
      variable('client_secret', { label: 'Client secret', required: true, secret: true }),
      variable('scope', { label: 'Scope', default: '' }),
    ],
    apply: { headers: { Authorization: 'Bearer {{access_token}}' }, query: {} },
    ...(validate === undefined ? {} : { validateMethod: validate }),
    getCredentials: async () => ({ values: {}, obtainedAt: 0 }),
  };
}

const apiKeyStrategy: AuthStrategy = {
  type: 'api-key',
  interactive: false,
  variables: [variable('api_key', { required: true, secret: true })],
  apply: { headers: { 'X-Api-Key': '{{api_key}}' }, query: {} },
  getCredentials: async () => ({ values: {}, obtainedAt: 0 }),
};

describe('parseConnector', () => {
  it('parses the SPEC §2 example (with its $schema line) and fills defaults', async () => {
    const acme = parseConnectorText(readFileSync(fixture('acme.yaml'), 'utf8'), 'yaml');
    expect(acme.id).toBe('acme');
    expect('$schema' in acme).toBe(false);
    expect(acme.rateLimit).toEqual({ amount: 10, unit: 'second' });
    expect(acme.endpoints[0]!.bodyFormat).toBe('json');
    expect(acme.endpoints[0]!.request).toEqual({ query: {}, headers: {}, body: {} });
    expect(acme.authMethods[0]!.request.headers).toEqual({ 'X-Api-Version': '2024-01' });
    // An auth method's variables stay as written: the strategy's defaults fill the rest later.
    expect(acme.authMethods[0]!.variables[0]).toEqual({ key: 'client_id', required: true });
  });

  it('fills every default of a minimal definition', () => {
    const c = parseConnector({
      id: 'm',
      name: 'M',
      version: 2,
      authMethods: [{ id: 'm', name: 'M', type: 'token' }],
      endpoints: [{ id: 'e', name: 'E', method: 'GET', url: 'https://a.example/x' }],
    });
    expect(c.version).toBe('2');
    expect(c.variables).toEqual([]);
    expect(c.authMethods[0]).toEqual({
      id: 'm',
      name: 'M',
      type: 'token',
      timeoutSeconds: 30,
      variables: [],
      urls: {},
      request: { query: {}, headers: {}, body: {} },
      captured: [],
      postAuthorization: [],
    });
    expect(c.endpoints[0]).toEqual({
      id: 'e',
      name: 'E',
      method: 'GET',
      url: 'https://a.example/x',
      direction: 'receive',
      dataType: 'json',
      bodyFormat: 'json',
      timeoutSeconds: 30,
      variables: [],
      request: { query: {}, headers: {}, body: {} },
      authMethods: [],
    });
  });

  it('accepts description, request tabs, bodyFormat form and apply.query', () => {
    const input = valid();
    input['description'] = 'CRM';
    at(input, 'endpoints', 1)['bodyFormat'] = 'form';
    at(input, 'endpoints', 1)['request'] = {
      query: { a: '{{account}}' },
      headers: { 'X-Trace': '{{account}}' },
      body: { nested: { list: [1, true, null, '{{access_token}}'] } },
    };
    at(input, 'authMethods', 1)['apply'] = { query: { key: '{{api_key}}' } };
    const c = parseConnector(input);
    expect(c.description).toBe('CRM');
    expect(c.endpoints[1]!.bodyFormat).toBe('form');
    expect(c.endpoints[1]!.request.body).toEqual({
      nested: { list: [1, true, null, '{{access_token}}'] },
    });
    expect(c.authMethods[1]!.apply).toEqual({ headers: {}, query: { key: '{{api_key}}' } });
  });

  it('turns a number or boolean default into a string', () => {
    const input = valid();
    (input['variables'] as Json[]).push(
      { key: 'page', default: 2 },
      { key: 'flag', default: false },
    );
    const c = parseConnector(input);
    expect(c.variables[1]!.default).toBe('2');
    expect(c.variables[2]!.default).toBe('false');
  });

  it('accepts a default of exactly 1024 characters', () => {
    const input = valid();
    at(input, 'variables', 0)['default'] = 'x'.repeat(1024);
    expect(parseConnector(input).variables[0]!.default).toHaveLength(1024);
  });

  it('lets apply and endpoint templates use credential keys', () => {
    const c = parseConnector(valid());
    expect(c.authMethods[0]!.apply!.headers['Authorization']).toBe('Bearer {{access_token}}');
    expect(c.endpoints[1]!.request.body['token']).toBe('{{access_token}}');
  });

  it('reports a non-object input', () => {
    expect(issuesOf([])).toEqual([
      { path: '', code: 'invalid_type', message: 'must be an object, got an array' },
    ]);
  });

  it('refuses an input that contains itself with the one cycle issue, with or without strategies', () => {
    const input = valid();
    const authorise: unknown[] = ['https://auth.acme.example/a'];
    authorise.push(authorise);
    at(input, 'authMethods', 0)['urls'] = { authorise, token: 'https://auth.acme.example/t' };
    for (const options of [undefined, { strategies: [oauthStrategy(), apiKeyStrategy] }]) {
      const error = failure(input, options);
      expect(error.details['issues']).toEqual([
        {
          path: 'authMethods[0].urls.authorise[1]',
          code: 'cycle',
          message: expect.stringContaining('refers back to authMethods[0].urls.authorise'),
        },
      ]);
      expect(error.details['connectorId']).toBe('acme');
    }
    const root = valid();
    at(root, 'endpoints', 0)['request'] = { body: { self: root } };
    expect(issuesOf(root)[0]).toMatchObject({
      path: 'endpoints[0].request.body.self',
      message: expect.stringContaining('refers back to the root'),
    });
  });

  it('accepts a value reached by two paths that is not a cycle (a YAML alias)', () => {
    const input = valid();
    const shared = { 'X-Api-Version': '2024-01' };
    at(input, 'authMethods', 0)['request'] = { headers: shared };
    at(input, 'endpoints', 0)['request'] = { headers: shared };
    expect(parseConnector(input).endpoints[0]!.request.headers).toEqual(shared);
  });

  it('reads only the elements an array holds and never into a typed array or Buffer', () => {
    // A sparse array of a JS caller's may be billions long: only its elements are read.
    const sparse: unknown[] = [];
    sparse.length = 1_000_000;
    const self: Record<string, unknown> = {};
    self['again'] = self;
    sparse[7] = self;
    let reads = 0;
    const counted = new Proxy(sparse, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const input = valid();
    input['extra'] = counted;
    expect(issuesOf(input)).toEqual([
      { path: 'extra[7].again', code: 'cycle', message: expect.stringContaining('extra[7]') },
    ]);
    expect(reads).toBe(1);
    // A typed array holds numbers only: refused as an unknown field without reading its bytes.
    const bytes = valid();
    let read = false;
    const view = new Uint8Array(4);
    Object.defineProperty(view, 'note', {
      enumerable: true,
      get: () => {
        read = true;
        return 'x';
      },
    });
    bytes['logo'] = view as never;
    expect(issuesOf(bytes)).toEqual([expect.objectContaining({ path: 'logo' })]);
    expect(read).toBe(false);
  });

  it(`refuses nesting deeper than ${MAX_DEFINITION_DEPTH} levels before any check walks it`, () => {
    const nest = (levels: number): unknown => {
      let value: unknown = 'x';
      for (let i = 0; i < levels; i++) value = { a: value };
      return value;
    };
    // The connector is level 1, endpoints[1] level 3, its request 4, the body 5, `deep` 6: the
    // last of MAX - 5 nested objects is at level MAX.
    const within = valid();
    at(within, 'endpoints', 1)['request'] = { body: { deep: nest(MAX_DEFINITION_DEPTH - 5) } };
    expect(() =>
      parseConnector(within, { strategies: [oauthStrategy(), apiKeyStrategy] }),
    ).not.toThrow();
    for (const levels of [MAX_DEFINITION_DEPTH - 4, 20_000]) {
      const input = valid();
      at(input, 'endpoints', 1)['request'] = { body: { deep: nest(levels) } };
      const issues = issuesOf(input, { strategies: [oauthStrategy(), apiKeyStrategy] });
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({
        code: 'too_deep',
        message: 'is nested deeper than 64 levels: flatten it',
      });
      expect(issues[0]!.path).toMatch(/^endpoints\[1\]\.request\.body\.deep(\.a)+$/);
    }
  });

  it('lists every problem in the message, one per line with its path', () => {
    const input = valid();
    input['id'] = '-bad';
    at(input, 'endpoints', 0)['method'] = 'FETCH';
    const error = failure(input);
    expect(error.message).toMatch(/2 problems/);
    expect(error.message).toContain('\n  - id: ');
    expect(error.message).toContain('\n  - endpoints[0].method: ');
  });
});

function withoutMethods(d: Json, methods: [] | undefined): void {
  if (methods === undefined) delete d['authMethods'];
  else d['authMethods'] = methods;
  for (const endpoint of d['endpoints'] as Json[]) endpoint['authMethods'] = [];
}

// Each case breaks a valid definition in one way and names the one issue expected.
const invalid: [name: string, mutate: (input: Json) => void, path: string, code: string][] = [
  ['an unknown top-level field', (d) => (d['owner'] = 'me'), 'owner', 'unknown_field'],
  [
    'an unknown variable field',
    (d) => (at(d, 'variables', 0)['lable'] = 'x'),
    'variables[0].lable',
    'unknown_field',
  ],
  [
    'an unknown field in apply',
    (d) => (at(d, 'authMethods', 0, 'apply')['body'] = {}),
    'authMethods[0].apply.body',
    'unknown_field',
  ],
  [
    'an unknown endpoint field',
    (d) => (at(d, 'endpoints', 1)['pagination'] = 'cursor'),
    'endpoints[1].pagination',
    'unknown_field',
  ],
  ['a missing id', (d) => delete d['id'], 'id', 'required'],
  ['a missing version', (d) => delete d['version'], 'version', 'required'],
  ['an id of the wrong type', (d) => (d['name'] = 7), 'name', 'invalid_type'],
  ['a connector id with a bad first character', (d) => (d['id'] = '-acme'), 'id', 'invalid_format'],
  [
    'a method id with a space',
    (d) => {
      at(d, 'authMethods', 1)['id'] = 'api key';
      at(d, 'endpoints', 1)['authMethods'] = ['oauth', 'api key'];
    },
    'authMethods[1].id',
    'invalid_format',
  ],
  ['no authMethods', (d) => withoutMethods(d, undefined), 'authMethods', 'required'],
  ['an empty authMethods list', (d) => withoutMethods(d, []), 'authMethods', 'too_small'],
  ['an empty endpoints list', (d) => (d['endpoints'] = []), 'endpoints', 'too_small'],
  [
    'an unknown HTTP method',
    (d) => (at(d, 'endpoints', 0)['method'] = 'FETCH'),
    'endpoints[0].method',
    'invalid_value',
  ],
  [
    'an unknown data type',
    (d) => (at(d, 'endpoints', 0)['dataType'] = 'yaml'),
    'endpoints[0].dataType',
    'invalid_value',
  ],
  [
    'an unknown body format',
    (d) => (at(d, 'endpoints', 1)['bodyFormat'] = 'xml'),
    'endpoints[1].bodyFormat',
    'invalid_value',
  ],
  [
    'an unknown direction',
    (d) => (at(d, 'endpoints', 0)['direction'] = 'both'),
    'endpoints[0].direction',
    'invalid_value',
  ],
  [
    'an unknown rate limit unit',
    (d) => (d['rateLimit'] = { amount: 5, unit: 'week' }),
    'rateLimit.unit',
    'invalid_value',
  ],
  [
    'a zero rate limit',
    (d) => (d['rateLimit'] = { amount: 0, unit: 'second' }),
    'rateLimit.amount',
    'too_small',
  ],
  [
    'a negative timeout',
    (d) => (at(d, 'authMethods', 0)['timeoutSeconds'] = -1),
    'authMethods[0].timeoutSeconds',
    'too_small',
  ],
  [
    'a default over 1024 characters',
    (d) => (at(d, 'variables', 0)['default'] = 'x'.repeat(1025)),
    'variables[0].default',
    'too_big',
  ],
  [
    'a default that is an object',
    (d) => (at(d, 'endpoints', 0, 'variables', 0)['default'] = { a: 1 }),
    'endpoints[0].variables[0].default',
    'invalid_value',
  ],
  [
    'a variable key with a space',
    (d) => (at(d, 'variables', 0)['key'] = 'my key'),
    'variables[0].key',
    'invalid_format',
  ],
  [
    'a header value that is a number',
    (d) => (at(d, 'authMethods', 0, 'request', 'headers')['X-Api-Version'] = 2024),
    'authMethods[0].request.headers.X-Api-Version',
    'invalid_type',
  ],
  [
    'a header name with a space',
    (d) => (at(d, 'endpoints', 0)['request'] = { headers: { 'X Api': '1' } }),
    'endpoints[0].request.headers["X Api"]',
    'invalid_key',
  ],
  [
    'a documentation link that is not a URL',
    (d) => (at(d, 'authMethods', 0)['documentationUrl'] = 'see the wiki'),
    'authMethods[0].documentationUrl',
    'invalid_format',
  ],
  [
    'two methods with one id',
    (d) => {
      at(d, 'authMethods', 1)['id'] = 'oauth';
      at(d, 'endpoints', 1)['authMethods'] = ['oauth'];
    },
    'authMethods[1].id',
    'duplicate',
  ],
  [
    'two endpoints with one id',
    (d) => (at(d, 'endpoints', 1)['id'] = 'list-orders'),
    'endpoints[1].id',
    'duplicate',
  ],
  [
    'two connector variables with one key',
    (d) => (d['variables'] as Json[]).push({ key: 'account' }),
    'variables[1].key',
    'duplicate',
  ],
  [
    'two endpoint variables with one key',
    (d) => (at(d, 'endpoints', 0, 'variables') as unknown as Json[]).push({ key: 'status' }),
    'endpoints[0].variables[1].key',
    'duplicate',
  ],
  [
    'an auth variable with a connector variable key',
    (d) => (at(d, 'authMethods', 0, 'variables') as unknown as Json[]).push({ key: 'account' }),
    'authMethods[0].variables[1].key',
    'duplicate',
  ],
  [
    'an endpoint enabling a method the connector lacks',
    (d) => (at(d, 'endpoints', 1, 'authMethods') as unknown as string[]).push('basic'),
    'endpoints[1].authMethods[2]',
    'unknown_reference',
  ],
  [
    'an endpoint enabling a method twice',
    (d) => (at(d, 'endpoints', 0, 'authMethods') as unknown as string[]).push('oauth'),
    'endpoints[0].authMethods[1]',
    'duplicate',
  ],
  [
    'a connector variable named access_token',
    (d) => (at(d, 'variables', 0)['key'] = 'access_token'),
    'variables[0].key',
    'reserved_key',
  ],
  [
    'an auth variable named refresh_token',
    (d) => (at(d, 'authMethods', 0, 'variables', 0)['key'] = 'refresh_token'),
    'authMethods[0].variables[0].key',
    'reserved_key',
  ],
  [
    'an endpoint variable named token_type',
    (d) => (at(d, 'endpoints', 0, 'variables', 0)['key'] = 'token_type'),
    'endpoints[0].variables[0].key',
    'reserved_key',
  ],
  [
    'a credential in an auth URL',
    (d) => (at(d, 'authMethods', 0, 'urls')['token'] = 'https://a.example/t?x={{refresh_token}}'),
    'authMethods[0].urls.token',
    'credential_in_template',
  ],
  [
    'a credential in an auth request header',
    (d) => (at(d, 'authMethods', 0, 'request', 'headers')['X-Token'] = '{{access_token}}'),
    'authMethods[0].request.headers.X-Token',
    'credential_in_template',
  ],
  [
    'a credential deep in an auth request body',
    (d) => (at(d, 'authMethods', 0, 'request')['body'] = { auth: [{ t: '{{ token_type }}' }] }),
    'authMethods[0].request.body.auth[0].t',
    'credential_in_template',
  ],
  [
    'a plain-http endpoint URL',
    (d) => (at(d, 'endpoints', 0)['url'] = 'http://api.acme.example/orders'),
    'endpoints[0].url',
    'insecure_url',
  ],
  [
    'a plain-http token URL',
    (d) => (at(d, 'authMethods', 0, 'urls')['token'] = 'http://auth.acme.example/token'),
    'authMethods[0].urls.token',
    'insecure_url',
  ],
  [
    'an unclosed placeholder in a URL',
    (d) => (at(d, 'authMethods', 0, 'urls')['authorise'] = 'https://a.example/{{account'),
    'authMethods[0].urls.authorise',
    'invalid_template',
  ],
  [
    'a placeholder inside a host label',
    (d) => (at(d, 'endpoints', 0)['url'] = 'https://shop-{{account}}.example/orders'),
    'endpoints[0].url',
    'invalid_template',
  ],
  [
    'a placeholder in the port',
    (d) => (at(d, 'endpoints', 1)['url'] = 'https://a.example:{{port}}/orders'),
    'endpoints[1].url',
    'invalid_template',
  ],
  [
    'a relative endpoint URL',
    (d) => (at(d, 'endpoints', 1)['url'] = '/orders'),
    'endpoints[1].url',
    'invalid_template',
  ],
  [
    'a line break in a header template',
    (d) => (at(d, 'endpoints', 0)['request'] = { headers: { 'X-A': 'a\r\nX-B: b' } }),
    'endpoints[0].request.headers.X-A',
    'invalid_template',
  ],
  [
    'a Host header in an endpoint request tab',
    (d) => (at(d, 'endpoints', 0)['request'] = { headers: { Host: 'internal.acme.example' } }),
    'endpoints[0].request.headers.Host',
    'reserved_header',
  ],
  [
    'a Transfer-Encoding header in a method request tab',
    (d) => (at(d, 'authMethods', 0, 'request')['headers'] = { 'Transfer-Encoding': 'chunked' }),
    'authMethods[0].request.headers.Transfer-Encoding',
    'reserved_header',
  ],
  [
    'a Proxy-Authorization header in apply',
    (d) => (at(d, 'authMethods', 0, 'apply', 'headers')['proxy-authorization'] = 'Basic x'),
    'authMethods[0].apply.headers.proxy-authorization',
    'reserved_header',
  ],
];

describe('parseConnector rejects', () => {
  it.each(invalid)('%s', (_name, mutate, path, code) => {
    const input = valid();
    expect(() => parseConnector(input)).not.toThrow();
    mutate(input);
    const issues = issuesOf(input);
    expect(issues.map((i) => [i.path, i.code])).toEqual([[path, code]]);
    expect(issues[0]!.message.length).toBeGreaterThan(5);
  });

  it('has at least 25 invalid definitions', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(25);
  });

  it('reports every problem of one definition at once', () => {
    const input = valid();
    input['id'] = 'bad id';
    input['colour'] = 'blue';
    at(input, 'variables', 0)['default'] = 'x'.repeat(2000);
    (input['variables'] as Json[]).push({ key: 'account' }, { key: 'access_token' });
    at(input, 'authMethods', 1)['id'] = 'oauth';
    at(input, 'authMethods', 0, 'urls')['token'] = 'http://auth.acme.example/t';
    at(input, 'authMethods', 0, 'request', 'headers')['X-T'] = '{{access_token}}';
    at(input, 'endpoints', 0)['method'] = 'FETCH';
    at(input, 'endpoints', 0)['url'] = 'https://{{account}}/x';
    (at(input, 'endpoints', 1, 'authMethods') as unknown as string[]).push('nope');
    const error = failure(input);
    const found = (error.details['issues'] as DefinitionIssue[]).map((i) => `${i.path} ${i.code}`);
    expect(found.sort()).toEqual(
      [
        'id invalid_format',
        'colour unknown_field',
        'variables[0].default too_big',
        'variables[1].key duplicate',
        'variables[2].key reserved_key',
        'authMethods[1].id duplicate',
        'authMethods[0].urls.token insecure_url',
        'authMethods[0].request.headers.X-T credential_in_template',
        'endpoints[0].method invalid_value',
        'endpoints[0].url invalid_template',
        'endpoints[1].authMethods[1] unknown_reference', // "key" was renamed to "oauth"
        'endpoints[1].authMethods[2] unknown_reference',
      ].sort(),
    );
    expect(error.message).toContain('12 problems');
    expect(error.details['connectorId']).toBe('bad id');
  });

  it('names a credential in a template that also fails to compile', () => {
    const input = valid();
    at(input, 'authMethods', 0, 'urls')['token'] = 'http://a.example/{{ access_token }}';
    expect(issuesOf(input).map((i) => [i.path, i.code])).toEqual([
      ['authMethods[0].urls.token', 'insecure_url'],
      ['authMethods[0].urls.token', 'credential_in_template'],
    ]);
  });

  it('reports cross-field problems even when the shape is partly wrong', () => {
    const input = valid();
    at(input, 'endpoints', 0)['method'] = 42;
    at(input, 'endpoints', 1)['id'] = 'list-orders';
    expect(issuesOf(input).map((i) => i.path)).toEqual(['endpoints[0].method', 'endpoints[1].id']);
  });

  it('never echoes a default value in an issue message', () => {
    const input = valid();
    at(input, 'variables', 0)['default'] = `SECRET${'x'.repeat(1100)}`;
    expect(failure(input).message).not.toContain('SECRET');
  });
});

describe('parseConnector with strategies', () => {
  const strategies = [oauthStrategy(), apiKeyStrategy];

  it('merges the strategy defaults first, then the extras, keeping locked defaults', () => {
    const input = valid();
    at(input, 'authMethods', 0)['variables'] = [
      { key: 'tenant', label: 'Tenant' },
      { key: 'scope', label: 'Scopes', default: 'orders.read' },
      { key: 'client_id', advanced: true },
    ];
    const c = parseConnector(input, { strategies });
    // Returned as written (plain data); resolving against the strategy merges.
    expect(c.authMethods[0]!.variables).toEqual(at(input, 'authMethods', 0)['variables']);
    const vars = resolveAuthMethod(c.authMethods[0]!, strategies[0]!).variables;
    expect(vars.map((v) => v.key)).toEqual(['client_id', 'client_secret', 'scope', 'tenant']);
    // Only the written fields override: client_id stays required and labelled.
    expect(vars[0]).toEqual(
      variable('client_id', { label: 'Client ID', required: true, advanced: true }),
    );
    expect(vars[1]).toEqual(
      variable('client_secret', { label: 'Client secret', required: true, secret: true }),
    );
    expect(vars[2]).toEqual(variable('scope', { label: 'Scopes', default: 'orders.read' }));
    expect(vars[3]).toEqual(variable('tenant', { label: 'Tenant', locked: false }));
    expect(
      resolveAuthMethod(c.authMethods[1]!, strategies[1]!).variables.map((v) => v.key),
    ).toEqual(['api_key']);
  });

  it('never lets a definition make a strategy secret readable', () => {
    const input = valid();
    at(input, 'authMethods', 0)['variables'] = [{ key: 'client_secret', secret: false }];
    const c = parseConnector(input, { strategies });
    expect(resolveAuthMethod(c.authMethods[0]!, strategies[0]!).variables[1]).toMatchObject({
      key: 'client_secret',
      secret: true,
    });
  });

  it('keeps the definition variables as written when no strategies are given', () => {
    const c = parseConnector(valid());
    expect(c.authMethods[0]!.variables.map((v) => v.key)).toEqual(['client_id']);
  });

  it('reports an unknown type naming the registered types', () => {
    const issues = issuesOf(valid(), { strategies: [oauthStrategy()] });
    expect(issues).toEqual([
      {
        path: 'authMethods[1].type',
        code: 'unknown_type',
        message:
          '"api-key" is not a registered authentication type (registered: "oauth2-authorization-code")',
      },
    ]);
  });

  it("adds the strategy's validateMethod issues under the method's path", () => {
    const seen: string[][] = [];
    const strategy = oauthStrategy((method) => {
      seen.push(method.variables.map((v) => v.key));
      return method.urls['authorise'] === undefined
        ? [{ path: 'urls.authorise', message: 'is required by this strategy', code: 'required' }]
        : [];
    });
    const issues = issuesOf(valid(), { strategies: [strategy, apiKeyStrategy] });
    expect(issues).toEqual([
      {
        path: 'authMethods[0].urls.authorise',
        message: 'is required by this strategy',
        code: 'required',
      },
    ]);
    expect(seen).toEqual([['client_id', 'client_secret', 'scope']]);
  });

  it('reports variable issues at the index the definition wrote them', () => {
    const strategy = oauthStrategy((method) =>
      method.variables.flatMap((v, i) =>
        v.key === 'scope' && v.default === 'bad'
          ? [{ path: `variables[${i}].default`, message: 'is not a valid scope', code: 'scope' }]
          : [],
      ),
    );
    const input = valid();
    at(input, 'authMethods', 0)['variables'] = [
      { key: 'tenant' },
      { key: 'scope', default: 'bad' },
    ];
    expect(issuesOf(input, { strategies: [strategy, apiKeyStrategy] })).toEqual([
      {
        path: 'authMethods[0].variables[1].default',
        message: 'is not a valid scope',
        code: 'scope',
      },
    ]);
  });

  it('reports a connector variable that has the key of a strategy default', () => {
    const input = valid();
    (input['variables'] as Json[]).push({ key: 'scope' });
    expect(issuesOf(input, { strategies }).map((i) => [i.path, i.code])).toEqual([
      ['variables[1].key', 'duplicate'],
    ]);
  });

  it('turns a throwing validateMethod into an issue', () => {
    const strategy = oauthStrategy(() => {
      throw new Error('boom');
    });
    const issues = issuesOf(valid(), { strategies: [strategy, apiKeyStrategy] });
    expect(issues.map((i) => [i.path, i.code])).toEqual([['authMethods[0]', 'strategy']]);
  });

  it('refuses malformed strategies with a coded TypeError', () => {
    for (const strategies of [
      'x',
      [{}],
      [
        { type: 'a', variables: [] },
        { type: 'a', variables: [] },
      ],
    ] as unknown as AuthStrategy[][]) {
      expect(() => parseConnector(valid(), { strategies })).toThrow(
        expect.objectContaining({ name: 'TypeError', code: 'INVALID_OPTION' }),
      );
    }
  });
});

describe('parseConnectorText', () => {
  it('reports invalid JSON', () => {
    const error = (() => {
      try {
        parseConnectorText('{"id":', 'json');
      } catch (e) {
        return e as SpliceError;
      }
    })();
    expect(error?.code).toBe('CONNECTOR_INVALID');
  });

  it('reports a JSON syntax error at its line and column, as YAML errors are, never quoting the text', () => {
    const syntaxIssue = (text: string): DefinitionIssue | undefined => {
      try {
        parseConnectorText(text, 'json', { source: 'acme.json' });
      } catch (e) {
        expect(SpliceError.is(e, 'CONNECTOR_INVALID')).toBe(true);
        const issues = (e as SpliceError).details['issues'] as DefinitionIssue[];
        expect(issues).toHaveLength(1);
        expect((e as SpliceError).message).not.toMatch(/position/);
        return issues[0];
      }
      return undefined;
    };
    // V8 gives a position: line and column counted from it (both from 1).
    expect(syntaxIssue('{\n  "id": "acme",\n  "name": 1,,\n}')).toEqual({
      path: '',
      message: 'is not valid JSON at line 3, column 13: Expected double-quoted property name',
      code: 'syntax',
      line: 3,
      column: 13,
    });
    expect(syntaxIssue('{\r\n  "id": "acme"\r\n  "name": "Acme"\r\n}')).toMatchObject({
      message: "is not valid JSON at line 3, column 3: Expected ',' or '}' after property value",
      line: 3,
      column: 3,
    });
    // V8 gives no position for an unexpected token, only the text around it: placed from that
    // text, which the message never repeats (it may hold a secret).
    const secret = syntaxIssue('{\n  "id": "acme",\n  "client_secret": s3cr3t-value-1234\n}');
    expect(secret).toMatchObject({ line: 3, column: 20, code: 'syntax' });
    expect(secret?.message).toBe("is not valid JSON at line 3, column 20: Unexpected token 's'");
    expect(secret?.message).not.toContain('s3cr3t');
    // The characters around an unexpected token may sit earlier too (inside a string, around a
    // valid "]"): the token is where parsing stopped, not their first occurrence.
    expect(syntaxIssue('{"]": 1, "b": ]}')).toMatchObject({ line: 1, column: 15 });
    expect(syntaxIssue('[[1], ]')).toMatchObject({ line: 1, column: 7 });
    const around = ':         ]          ';
    expect(syntaxIssue(`{"a": "b${around}c",\n "k"${around}}`)).toMatchObject({
      line: 2,
      column: 15,
    });
    expect(syntaxIssue(`{"a": "${around}",\n "k"${around}`)).toMatchObject({ line: 2, column: 15 });
    // A position at the end of the input is just after its last character...
    expect(syntaxIssue('{"id": "acme",\n')).toMatchObject({ line: 2, column: 1 });
    // ...and without any position, the reason alone.
    expect(syntaxIssue('[')).toEqual({
      path: '',
      message: 'is not valid JSON: Unexpected end of JSON input',
      code: 'syntax',
    });
  });

  it('says a text is empty, or holds only YAML comments, and what a definition is', () => {
    const only = (text: string, format: 'json' | 'yaml'): DefinitionIssue[] => {
      try {
        parseConnectorText(text, format, { source: `acme.${format}` });
      } catch (e) {
        expect(SpliceError.is(e, 'CONNECTOR_INVALID')).toBe(true);
        expect((e as SpliceError).message).toContain(`acme.${format}`);
        return (e as SpliceError).details['issues'] as DefinitionIssue[];
      }
      return [];
    };
    const definition = 'one object with id, name, version, authMethods and endpoints';
    for (const format of ['json', 'yaml'] as const) {
      for (const text of ['', ' \n\t\r\n', '\uFEFF', '\uFEFF\n\n']) {
        expect(only(text, format), JSON.stringify(text)).toEqual([
          {
            path: '',
            code: 'syntax',
            message: `is empty: write the definition into it (${definition})`,
          },
        ]);
      }
    }
    expect(only('# Acme\n\n  # to do\n', 'yaml')).toEqual([
      {
        path: '',
        code: 'syntax',
        message: `holds only comments: write the definition below them (${definition})`,
      },
    ]);
  });

  it('says UTF-16 text (as Windows PowerShell writes it, read as UTF-8) is UTF-16 and to save it as UTF-8', () => {
    const text = JSON.stringify(valid(), null, 2);
    // The bytes of the file, decoded as UTF-8 as loadConnector and the CLI read a definition.
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(text, 'utf16le').swap16();
    const bom = (mark: number[], body: Buffer) => Buffer.concat([Buffer.from(mark), body]);
    const files = {
      'UTF-16 LE with BOM': bom([0xff, 0xfe], le),
      'UTF-16 LE': le,
      'UTF-16 BE with BOM': bom([0xfe, 0xff], be),
      'UTF-16 BE': be,
      'only a UTF-16 BOM': Buffer.from([0xff, 0xfe]),
    };
    for (const [name, bytes] of Object.entries(files)) {
      for (const format of ['json', 'yaml'] as const) {
        expect(() => parseConnectorText(bytes.toString('utf8'), format), name).toThrow(
          expect.objectContaining({
            code: 'CONNECTOR_INVALID',
            details: {
              issues: [
                {
                  path: '',
                  code: 'syntax',
                  message: `is UTF-16 text (read as UTF-8, ${name === 'only a UTF-16 BOM' ? 'its UTF-16 byte order mark alone' : 'a NUL character comes between its letters'}), and a definition is read as UTF-8: save the file as UTF-8 (Windows PowerShell's ">" writes UTF-16; "| Out-File -Encoding utf8" writes UTF-8)`,
                },
              ],
            },
          }),
        );
      }
      // The same text decoded as what it is reads.
      const decoded = new TextDecoder(name.includes('BE') ? 'utf-16be' : 'utf-16le').decode(bytes);
      if (decoded.trim() !== '') expect(parseConnectorText(decoded, 'json').id).toBe('acme');
    }
  });

  it('reads lines that end in CR alone (classic Mac OS) or CR LF as lines, placing errors on them', () => {
    const yaml = readFileSync(fixture('acme.yaml'), 'utf8');
    const expected = parseConnectorText(yaml, 'yaml');
    expect(parseConnectorText(yaml.replace(/\n/g, '\r'), 'yaml')).toEqual(expected);
    expect(parseConnectorText(yaml.replace(/\n/g, '\r\n'), 'yaml')).toEqual(expected);
    const json = JSON.stringify(valid(), null, 2);
    expect(parseConnectorText(json.replace(/\n/g, '\r'), 'json')).toEqual(parseConnector(valid()));
    // A block scalar's lines keep line feeds between them, as the spec normalises them.
    const described = `${yaml}description: |\n  one\n  two\n`;
    expect(parseConnectorText(described.replace(/\n/g, '\r'), 'yaml').description).toBe(
      'one\ntwo\n',
    );
    const issueOf = (text: string, format: 'json' | 'yaml') => {
      try {
        parseConnectorText(text, format);
      } catch (e) {
        return ((e as SpliceError).details['issues'] as DefinitionIssue[])[0];
      }
      return undefined;
    };
    expect(issueOf('id: acme\rname: [Acme\rversion: "1"\r', 'yaml')).toMatchObject({
      code: 'syntax',
      line: 3,
    });
    expect(issueOf('{\r  "id": "acme",\r  "name": 1,,\r}', 'json')).toMatchObject({
      code: 'syntax',
      line: 3,
      column: 13,
    });
  });

  it('reads a JSON or YAML definition that starts with a byte order mark', () => {
    const definition = parseConnector(valid());
    const json = `\uFEFF${JSON.stringify(valid())}`;
    expect(parseConnectorText(json, 'json').id).toBe(definition.id);
    expect(parseConnectorText(json, 'yaml').id).toBe(definition.id);
    // A syntax error after it is placed in the text as an editor shows it, without the mark.
    expect(() => parseConnectorText('\uFEFF{"id": tru}', 'json')).toThrow(
      expect.objectContaining({
        details: expect.objectContaining({
          issues: [expect.objectContaining({ line: 1, column: 11 })],
        }),
      }),
    );
  });

  it('reads the line and column of a V8 message that gives them itself', () => {
    const parse = vi.spyOn(JSON, 'parse').mockImplementationOnce(() => {
      throw new SyntaxError(
        'Unexpected non-whitespace character after JSON at position 7 (line 2 column 3)',
      );
    });
    try {
      parseConnectorText('{}\n  x', 'json');
      expect.unreachable();
    } catch (e) {
      expect((e as SpliceError).details['issues']).toEqual([
        {
          path: '',
          message:
            'is not valid JSON at line 2, column 3: Unexpected non-whitespace character after JSON',
          code: 'syntax',
          line: 2,
          column: 3,
        },
      ]);
    } finally {
      parse.mockRestore();
    }
  });

  it('reports a YAML alias without its anchor as a syntax issue at the alias', () => {
    for (const [text, line, column] of [
      ['*x', 1, 1],
      ['id: *x', 1, 5],
      ['a: &x 1\nb: *y', 2, 4],
    ] as const) {
      const error = (() => {
        try {
          parseConnectorText(text, 'yaml', { source: 'broken.yaml' });
        } catch (e) {
          return e;
        }
      })();
      expect(SpliceError.is(error, 'CONNECTOR_INVALID'), text).toBe(true);
      const issues = (error as SpliceError).details['issues'] as DefinitionIssue[];
      const name = text.slice(text.lastIndexOf('*') + 1);
      expect(issues).toEqual([
        {
          path: '',
          code: 'syntax',
          line,
          column,
          message: `is not valid YAML at line ${line}, column ${column}: the alias "*${name}" has no anchor "&${name}" before it: put "&${name}" on a value before the first alias that uses it`,
        },
      ]);
      expect((error as SpliceError).message).toContain('broken.yaml');
    }
  });

  it('reports one anchor used by more aliases than the limit as that, at the first alias past it', () => {
    // A plain definition sharing one value 150 times: no anchor is missing and nothing is a cycle.
    const uses = Array.from({ length: 150 }, () => '*v').join(', ');
    const error = (() => {
      try {
        parseConnectorText(`a: &v 1\nb: [${uses}]\n`, 'yaml', { source: 'many.yaml' });
      } catch (e) {
        return e;
      }
    })();
    expect(SpliceError.is(error, 'CONNECTOR_INVALID')).toBe(true);
    const column = 5 + '*v, '.length * 100;
    expect((error as SpliceError).details['issues']).toEqual([
      {
        path: '',
        code: 'syntax',
        line: 2,
        column,
        message: `is not valid YAML at line 2, column ${column}: the anchor "&v" is already used by 100 aliases before this one, and one anchor's value may be expanded at most 100 times: write the value out in full in some of those places`,
      },
    ]);
  });

  it('reports aliases of aliased values past the limit as the limit, naming no anchor or cycle', () => {
    const ten = (name: string) => Array.from({ length: 10 }, () => `*${name}`).join(', ');
    const text = `a: &a [1, 2]\nb: &b [${ten('a')}]\nc: &c [${ten('b')}]\nd: [*c, *c]\n`;
    const error = (() => {
      try {
        parseConnectorText(text, 'yaml');
      } catch (e) {
        return e;
      }
    })();
    expect((error as SpliceError).details['issues']).toEqual([
      {
        path: '',
        code: 'syntax',
        message: `is not valid YAML: its aliases expand one anchor's value more than 100 times (an alias of a value that holds aliases counts as each of them): write some of the values out in full instead of using "*name"`,
      },
    ]);
  });

  it('reports an anchor aliased inside its own value past the alias limit as the cycle it is', () => {
    const uses = Array.from({ length: 150 }, () => '*loop').join(', ');
    const error = (() => {
      try {
        parseConnectorText(`x:\n  - a: &loop { k: [1, ${uses}] }\n`, 'yaml');
      } catch (e) {
        return e;
      }
    })();
    expect((error as SpliceError).details['issues']).toEqual([
      {
        path: 'x[0].a.k[1]',
        code: 'cycle',
        line: 2,
        column: 23,
        message:
          'refers back to x[0].a, which contains it (a cycle): a definition is plain data, which JSON cannot hold a cycle in; copy the value instead of referring to it (the alias "*loop" at line 2, column 23)',
      },
    ]);
  });

  it('reports YAML nested past what its parser can read as too_deep, not as a syntax error', () => {
    for (const levels of [1_000, 100_000]) {
      const text = `id: acme\nextra: ${'['.repeat(levels)}${']'.repeat(levels)}\n`;
      const error = (() => {
        try {
          parseConnectorText(text, 'yaml', { source: 'deep.yaml' });
        } catch (e) {
          return e;
        }
      })();
      expect(SpliceError.is(error, 'CONNECTOR_INVALID')).toBe(true);
      const issues = (error as SpliceError).details['issues'] as DefinitionIssue[];
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({ path: '', code: 'too_deep' });
      expect(issues[0]!.message).toMatch(/^is nested deeper than 64 levels/);
      expect(issues[0]!.message).not.toContain('call stack');
    }
  });

  it('reports a YAML alias inside its own anchor (a cycle) as CONNECTOR_INVALID naming where', () => {
    const text = [
      'id: acme',
      'name: Acme',
      'version: "1"',
      'authMethods:',
      '  - { id: key, name: Key, type: api-key, request: { body: &loop { again: *loop } } }',
      'endpoints:',
      '  - { id: e, name: E, method: GET, url: "https://api.acme.example/x", authMethods: [key] }',
      '',
    ].join('\n');
    const error = (() => {
      try {
        parseConnectorText(text, 'yaml', { source: 'loop.yaml' });
      } catch (e) {
        return e;
      }
    })();
    expect(SpliceError.is(error, 'CONNECTOR_INVALID')).toBe(true);
    expect((error as SpliceError).details['issues']).toEqual([
      {
        path: 'authMethods[0].request.body.again',
        code: 'cycle',
        message: expect.stringContaining('refers back to authMethods[0].request.body'),
      },
    ]);
    expect((error as SpliceError).message).toContain('loop.yaml');
  });
});
