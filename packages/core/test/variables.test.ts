import {
  compileTemplate,
  compileUrlTemplate,
  connectorJsonSchema,
  mergeVariables,
  missingRequired,
  parseConnector,
  perCallKeys,
  perCallRefusal,
  REDACTED,
  type ResolvedConnector,
  redactSecretDefaults,
  resolveValues,
  SpliceError,
  secretKeys,
  unknownKeysHint,
  type VariableDefinition,
  variableMissing,
  variableNotSettable,
} from '@splice/core';
import { describe, expect, it } from 'vitest';

const v = (key: string, extra: Partial<VariableDefinition> = {}): VariableDefinition => ({
  key,
  required: false,
  configurable: true,
  advanced: false,
  secret: false,
  locked: false,
  ...extra,
});

describe('resolveValues', () => {
  const definitions = [v('account'), v('status', { default: 'open' }), v('page', { default: '1' })];

  it('takes call input first, then saved values, then definition defaults', () => {
    expect(
      resolveValues(definitions, { status: 'closed' }, { status: 'all', account: 'a1', page: '3' }),
    ).toEqual({ status: 'closed', account: 'a1', page: '3' });
    expect(resolveValues(definitions, {}, { account: 'a1' })).toEqual({
      account: 'a1',
      status: 'open',
      page: '1',
    });
  });

  it('treats undefined as not set and the empty string as a value', () => {
    expect(resolveValues(definitions, { status: undefined, page: '' }, undefined)).toEqual({
      status: 'open',
      page: '',
    });
  });

  it('keeps undeclared keys and drops credential keys from every layer', () => {
    expect(
      resolveValues([], { extra: 'x', access_token: 't' }, { refresh_token: 'r', token_type: 'b' }),
    ).toEqual({ extra: 'x' });
  });

  it('resolves keys that are also Object.prototype names', () => {
    expect(
      resolveValues([v('constructor', { default: 'c' }), v('toString')], { toString: 's' }),
    ).toEqual({ constructor: 'c', toString: 's' });
  });

  it('refuses a layer that is not an object', () => {
    expect(() => resolveValues([], 'x' as never)).toThrow(TypeError);
    expect(() => resolveValues('x' as never)).toThrow(TypeError);
  });
});

describe('missingRequired', () => {
  const definitions = [
    v('client_id', { required: true }),
    v('client_secret', { required: true, secret: true }),
    v('scope'),
    v('account', { required: true, default: 'x' }),
  ];

  it('returns every missing required key, in definition order', () => {
    expect(missingRequired(definitions, {})).toEqual(['client_id', 'client_secret', 'account']);
    expect(missingRequired(definitions, { client_secret: 's', account: '' })).toEqual([
      'client_id',
      'account',
    ]);
    expect(missingRequired(definitions, resolveValues(definitions, { client_id: 'a' }))).toEqual([
      'client_secret',
    ]);
  });

  it('does not count prototype names as set', () => {
    expect(missingRequired([v('constructor', { required: true })], {})).toEqual(['constructor']);
  });
});

describe('variableMissing', () => {
  it('names every key in one VARIABLE_MISSING error', () => {
    const error = variableMissing(['client_id', 'client_secret'], 'auth method "oauth"', {
      connectorId: 'acme',
    });
    expect(SpliceError.is(error, 'VARIABLE_MISSING')).toBe(true);
    expect(error.message).toContain('"client_id", "client_secret"');
    expect(error.message).toContain('auth method "oauth"');
    expect(error.details).toEqual({ connectorId: 'acme', keys: ['client_id', 'client_secret'] });
  });
});

describe('secretKeys', () => {
  it('collects secret variables of every list plus the credential keys', () => {
    const keys = secretKeys([v('a', { secret: true }), v('b')], [v('c', { secret: true })]);
    expect([...keys].sort()).toEqual(
      ['a', 'c', 'access_token', 'refresh_token', 'token_type'].sort(),
    );
  });
});

describe('perCall', () => {
  it('is a definition flag of connector and auth variables, in the schema and the JSON Schema', () => {
    const parsed = parseConnector({
      id: 'shop',
      name: 'Shop',
      version: 1,
      variables: [{ key: 'region', perCall: true }, { key: 'shop' }],
      authMethods: [
        { id: 'key', name: 'Key', type: 't', variables: [{ key: 'scope', perCall: true }] },
      ],
      endpoints: [{ id: 'orders', name: 'Orders', method: 'GET', url: 'https://a.example/x' }],
    });
    expect(parsed.variables[0]?.perCall).toBe(true);
    // Unwritten stays unwritten: a JSON round trip changes nothing.
    expect(parsed.variables[1]).not.toHaveProperty('perCall');
    expect(parsed.authMethods[0]?.variables[0]).toEqual({ key: 'scope', perCall: true });
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
    const schema = JSON.stringify(connectorJsonSchema());
    expect(schema).toContain('"perCall"');
    expect(() =>
      parseConnector({ ...parsed, variables: [{ key: 'region', perCall: 'yes' }] }),
    ).toThrow(/variables\[0\]\.perCall/);
  });

  it("is overridden on a strategy's default variable like the other flags", () => {
    const [scope, extra] = mergeVariables(
      [v('scope', { locked: true })],
      [{ key: 'scope', perCall: true }, { key: 'tenant' }],
    );
    expect(scope).toMatchObject({ key: 'scope', perCall: true, locked: true });
    expect(extra).not.toHaveProperty('perCall');
  });
});

describe('template.hostKeys', () => {
  it("lists the keys in a URL template's host, and only those", () => {
    expect(
      compileUrlTemplate('https://{{shop}}.{{zone}}.example/{{path}}?q={{q}}').hostKeys,
    ).toEqual(['shop', 'zone']);
    expect(compileUrlTemplate('https://api.example/{{shop}}').hostKeys).toEqual([]);
    expect(compileTemplate('{{shop}}', 'text').hostKeys).toBeUndefined();
  });
});

describe('perCallRefusal and perCallKeys', () => {
  const endpoint = [v('status'), v('tenant'), v('shop')];
  const instance = [
    v('shop'),
    v('tenant'),
    v('region', { perCall: true }),
    v('zone', { perCall: true }),
  ];

  it('accept endpoint and perCall variables, refuse the rest with a reason', () => {
    expect([...perCallKeys(endpoint, instance, ['zone'])].sort()).toEqual(['region', 'status']);
    expect(perCallRefusal('status', endpoint, instance, ['zone'])).toBeUndefined();
    expect(perCallRefusal('region', endpoint, instance, ['zone'])).toBeUndefined();
    expect(perCallRefusal('zone', endpoint, instance, ['zone'])).toBe('origin');
    expect(perCallRefusal('shop', endpoint, instance, ['zone'])).toBe('instance');
    expect(perCallRefusal('tenant', endpoint, instance)).toBe('instance');
    expect(perCallRefusal('access_token', [v('access_token')], instance)).toBe('credential');
    expect(perCallRefusal('other', endpoint, instance)).toBe('unknown');
  });

  it('build a VARIABLE_INVALID naming the variable, never a value', () => {
    const error = variableNotSettable('shop', 'origin', 'by a call to endpoint "orders"', {
      endpointId: 'orders',
    });
    expect(error.code).toBe('VARIABLE_INVALID');
    expect(error.message).toMatch(
      /^Variable "shop" cannot be set by a call to endpoint "orders": it is used in a URL's host/,
    );
    expect(error.details).toEqual({ endpointId: 'orders', key: 'shop', reason: 'origin' });
  });
});

describe('unknownKeysHint', () => {
  const protocol = ['grant_type', 'response_type', 'pkce', 'state_length', 'issuer'];
  const settable = [
    v('state_length', { advanced: true }),
    v('scope'),
    ...protocol.filter((key) => key !== 'state_length').map((key) => v(key, { advanced: true })),
    v('client_id', { required: true }),
    v('scope', { advanced: true }),
  ];

  it('lists the keys for a user first, then the advanced ones, each in declared order, a key once', () => {
    const hint = unknownKeysHint(['clientid', 'colour'], settable);
    expect(hint.settable).toEqual([
      'scope',
      'client_id',
      'state_length',
      ...protocol.slice(0, 3),
      'issuer',
    ]);
    expect(hint.suggestions).toEqual({ clientid: 'client_id' });
    expect(hint.named).toBe('"clientid" (did you mean "client_id"?), "colour"');
    expect(hint.listed).toBe(
      'scope, client_id; advanced: state_length, grant_type, response_type and 2 more',
    );
  });

  it('names every key when there are few, and says when there are none', () => {
    expect(unknownKeysHint(['x'], [v('a'), v('b', { advanced: true })]).listed).toBe(
      'a; advanced: b',
    );
    expect(unknownKeysHint(['x'], [v('a', { advanced: true })]).listed).toBe('advanced: a');
    const none = unknownKeysHint(['x'], []);
    expect(none).toEqual({ settable: [], suggestions: {}, named: '"x"', listed: undefined });
  });

  it("offers a user's key over an advanced one as near, and nothing for an object property's name", () => {
    // "scop" is one edit from both "scope" and "scopa".
    expect(
      unknownKeysHint(['scop'], [v('scopa', { advanced: true }), v('scope')]).suggestions,
    ).toEqual({
      scop: 'scope',
    });
    const hint = unknownKeysHint(['toString', '__proto__'], settable);
    expect(hint.suggestions).toEqual({});
    expect(hint.named).toBe('"toString", "__proto__"');
  });

  it('words the per-call refusal of variableNotSettable, advanced keys last', () => {
    const error = variableNotSettable('pag', 'unknown', 'by a call to endpoint "orders"', {}, [
      v('page', { advanced: true }),
      v('status'),
    ]);
    expect(error.details).toEqual({
      key: 'pag',
      reason: 'unknown',
      settable: ['status', 'page'],
      suggestions: { pag: 'page' },
    });
    expect(error.message).toBe(
      'Variable "pag" cannot be set by a call to endpoint "orders": it is not a variable of this endpoint or of the instance: did you mean "page"? (a call to this endpoint may set: status; advanced: page).',
    );
  });
});

describe('redactSecretDefaults', () => {
  it('redacts the default of every secret variable at every level, and nothing else', () => {
    const connector = {
      id: 'c',
      name: 'c',
      version: '1',
      variables: [v('a', { secret: true, default: 'conn-secret' }), v('b', { default: 'plain' })],
      authMethods: [
        {
          id: 'm',
          name: 'm',
          type: 't',
          timeoutSeconds: 30,
          urls: {},
          request: { query: {}, headers: {}, body: {} },
          variables: [v('api_key', { default: 'looks-secret' })],
        },
      ],
      endpoints: [
        {
          id: 'e',
          name: 'e',
          direction: 'receive',
          method: 'GET',
          url: 'https://a.example',
          dataType: 'json',
          bodyFormat: 'json',
          timeoutSeconds: 30,
          request: { query: {}, headers: {}, body: {} },
          authMethods: ['m'],
          variables: [v('sig', { secret: true, default: 'ep-secret' })],
        },
      ],
    } satisfies ResolvedConnector;
    const shown = redactSecretDefaults(connector, new Set(['api_key']));
    expect(shown.variables.map((x) => x.default)).toEqual([REDACTED, 'plain']);
    expect(shown.authMethods[0]!.variables[0]!.default).toBe(REDACTED);
    expect(shown.endpoints[0]!.variables[0]!.default).toBe(REDACTED);
    // The input is not changed.
    expect(connector.variables[0]!.default).toBe('conn-secret');
  });
});
