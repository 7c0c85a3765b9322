import {
  connectorJsonSchema,
  type DefinitionIssue,
  parseConnector,
  requestPartDestinations,
  requiredVariableKeys,
  resolveAuthMethod,
  SpliceError,
  type VariableDefinition,
} from '@splice/core';
import { describe, expect, it } from 'vitest';

type Json = Record<string, unknown>;

function connector(method: Json): Json {
  return {
    id: 'drive',
    name: 'Drive',
    version: '1',
    variables: [{ key: 'account', required: true }],
    authMethods: [
      {
        id: 'google',
        name: 'Google',
        type: 'oauth2-authorization-code',
        urls: { token: 'https://oauth2.example/token' },
        ...method,
      },
    ],
    endpoints: [
      {
        id: 'files',
        name: 'Files',
        method: 'GET',
        url: 'https://api.example/files',
        authMethods: ['google'],
      },
    ],
  };
}

function issues(input: Json): DefinitionIssue[] {
  try {
    parseConnector(input);
  } catch (error) {
    if (SpliceError.is(error, 'CONNECTOR_INVALID'))
      return error.details['issues'] as DefinitionIssue[];
    throw error;
  }
  throw new Error('expected CONNECTOR_INVALID');
}

describe('tokenRequest and dialect in a definition', () => {
  it('parse as written and survive a JSON round trip', () => {
    const parsed = parseConnector(
      connector({
        tokenRequest: { body: { audience: 'https://api.example', scope: '{{scope}}' } },
        dialect: {
          invalidGrant: {
            errors: ['invalid_refresh_token'],
            statuses: [401],
            body: [{ path: 'status', equals: ['BAD_REFRESH_TOKEN'] }],
          },
          invalidToken: { body: [{ path: 'error.code', equals: ['EXPIRED', 190, true] }] },
          bearerTokenTypes: ['bearer'],
        },
      }),
    );
    const method = parsed.authMethods[0]!;
    expect(method.dialect?.invalidGrant?.body).toEqual([
      { path: 'status', equals: ['BAD_REFRESH_TOKEN'] },
    ]);
    expect(method.tokenRequest).toEqual({
      headers: {},
      body: { audience: 'https://api.example', scope: '{{scope}}' },
    });
    expect(method.dialect?.invalidToken?.body[0]?.equals).toEqual(['EXPIRED', 190, true]);
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
    expect(parseConnector(connector({})).authMethods[0]).not.toHaveProperty('tokenRequest');
  });

  it('refuses a URL parameter in tokenRequest, a credential in its templates and a bad dialect', () => {
    const found = issues(
      connector({
        tokenRequest: {
          query: { a: 'b' },
          headers: { 'X-Token': '{{refresh_token}}' },
        },
        dialect: {
          invalidGrant: { statuses: [99], body: [] },
          invalidToken: { body: [] },
          tokenTypes: ['bot'],
        },
      }),
    );
    expect(found.map(({ path, code, message }) => [path, code, message])).toEqual([
      [
        'authMethods[0].tokenRequest.query',
        'unknown_field',
        'is not a known field: remove it or check its spelling',
      ],
      [
        'authMethods[0].dialect.invalidGrant.statuses[0]',
        'too_small',
        'must be an HTTP status (100-599)',
      ],
      [
        'authMethods[0].dialect.invalidGrant.body',
        'too_small',
        'needs at least one rule (or leave body out)',
      ],
      [
        'authMethods[0].dialect.invalidToken.body',
        'too_small',
        'needs at least one rule (or leave invalidToken out)',
      ],
      [
        'authMethods[0].dialect.tokenTypes',
        'unknown_field',
        'is not a known field: remove it or check its spelling',
      ],
      [
        'authMethods[0].tokenRequest.headers.X-Token',
        'credential_in_template',
        'uses the credential "{{refresh_token}}", which exists only in "apply" and endpoint templates',
      ],
    ]);
  });

  it("documents both in the JSON Schema, and the schema's examples parse", () => {
    const schema = connectorJsonSchema() as {
      $defs: Record<string, { examples?: Json[]; description?: string; properties?: Json }>;
    };
    const { TokenRequest, Dialect, Request, AuthVariable } = schema.$defs;
    expect(TokenRequest!.description).toContain('never on an endpoint request');
    expect(Dialect!.description).toContain('dead grants');
    const query = Request!.properties!['query'] as { examples: Json[]; description: string };
    expect(query.description).toContain('authorisation URL only');
    const method = {
      request: { query: query.examples[0] },
      tokenRequest: TokenRequest!.examples![0],
      dialect: Dialect!.examples![0],
      variables: AuthVariable!.examples,
    };
    expect(() => parseConnector(connector(method))).not.toThrow();
  });
});

describe('requestPartDestinations', () => {
  const method = {
    request: {
      query: { access_type: 'offline' },
      headers: { 'X-Api-Version': '1' },
      body: { tenant: 't' },
    },
    tokenRequest: { headers: {}, body: { audience: 'a' } },
  };

  it('says where each part of a method is sent', () => {
    expect(requestPartDestinations(method, true)).toEqual([
      { path: 'request.query.access_type', sentOn: 'the authorisation URL only' },
      {
        path: 'request.headers.X-Api-Version',
        sentOn: 'auth requests (token requests, credential checks) and every endpoint request',
      },
      {
        path: 'request.body.tenant',
        sentOn: 'auth requests (token requests, credential checks) and every endpoint request',
      },
      {
        path: 'tokenRequest.body.audience',
        sentOn: 'token requests only (never an endpoint request)',
      },
    ]);
  });

  it('says a non-interactive method sends its URL parameters nowhere', () => {
    expect(requestPartDestinations(method, false)[0]!.sentOn).toMatch(/^nowhere/);
    expect(requestPartDestinations(method, undefined)[0]!.sentOn).toMatch(/if the strategy/);
  });
});

describe('requiredVariableKeys', () => {
  const v = (key: string, required: boolean): VariableDefinition => ({
    key,
    required,
    configurable: true,
    advanced: false,
    secret: false,
    locked: false,
  });
  const connectorVariables = [v('account', true), v('region', false)];
  const method = resolveAuthMethod(
    {
      id: 'm',
      name: 'M',
      type: 't',
      timeoutSeconds: 30,
      variables: [],
      urls: {},
      request: { query: {}, headers: {}, body: {} },
    },
    { variables: [v('client_id', true), v('client_secret', true)] },
  );

  it("asks the strategy's rule before the flags, and the rule wins", () => {
    const strategy = {
      requiredKeys: (_m: unknown, values: Readonly<Record<string, string>>) =>
        values['public'] === 'yes' ? ['client_id'] : ['client_id', 'client_secret'],
    };
    expect(requiredVariableKeys(connectorVariables, method, strategy, { public: 'yes' })).toEqual([
      'account',
      'client_id',
    ]);
    expect(requiredVariableKeys(connectorVariables, method, strategy, {})).toEqual([
      'account',
      'client_id',
      'client_secret',
    ]);
  });

  it('falls back to the required flags without a rule', () => {
    expect(requiredVariableKeys(connectorVariables, method, undefined, {})).toEqual([
      'account',
      'client_id',
      'client_secret',
    ]);
  });
});
