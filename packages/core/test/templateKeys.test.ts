import {
  type AuthStrategy,
  type DefinitionIssue,
  nearestName,
  parseConnector,
  parseConnectorText,
  SpliceError,
  type VariableDefinition,
} from '@splice/core';
import { describe, expect, it } from 'vitest';

const variable = (key: string, secret = false): VariableDefinition => ({
  key,
  required: true,
  configurable: true,
  advanced: false,
  secret,
  locked: true,
});

// Two strategies of the shapes Splice ships: OAuth 2 (credentials access_token...) and a token
// strategy whose default apply reads its own credential key.
const oauth: AuthStrategy = {
  type: 'oauth2-authorization-code',
  interactive: true,
  capturesValues: true,
  variables: [variable('client_id'), variable('client_secret', true), variable('scope')],
  apply: { headers: { Authorization: 'Bearer {{access_token}}' }, query: {} },
  getCredentials: async () => ({ values: {}, obtainedAt: 0 }),
};
const token: AuthStrategy = {
  type: 'token',
  interactive: false,
  variables: [variable('token', true)],
  apply: { headers: { Authorization: 'Bearer {{token}}' }, query: {} },
  getCredentials: async () => ({ values: {}, obtainedAt: 0 }),
};
const strategies = [oauth, token];

function base() {
  return {
    id: 'shop',
    name: 'Shop',
    version: '2',
    variables: [{ key: 'account', required: true }],
    authMethods: [
      {
        id: 'oauth',
        name: 'Shop OAuth',
        type: 'oauth2-authorization-code',
        urls: { token: 'https://auth.acme.example/{{account}}/token' } as Record<string, string>,
        apply: { headers: { Authorization: 'Bearer {{access_token}}' } },
      },
      {
        id: 'key',
        name: 'Key',
        type: 'token',
        variables: [{ key: 'region' }],
        apply: { headers: {} as Record<string, string> },
      },
    ],
    endpoints: [
      {
        id: 'orders',
        name: 'Orders',
        method: 'GET',
        url: 'https://api.acme.example/{{account}}/orders',
        variables: [{ key: 'status' }],
        request: {
          query: { status: '{{status}}' } as Record<string, string>,
          headers: {} as Record<string, string>,
        },
        authMethods: ['oauth', 'key'],
      },
    ],
  };
}

function definition(patch: (d: ReturnType<typeof base>) => void): Record<string, unknown> {
  const d = base();
  patch(d);
  return d;
}

function issues(input: unknown, options = { strategies }): DefinitionIssue[] {
  try {
    parseConnector(input, options);
  } catch (error) {
    if (SpliceError.is(error, 'CONNECTOR_INVALID')) {
      return error.details['issues'] as DefinitionIssue[];
    }
    throw error;
  }
  return [];
}

describe('template keys', () => {
  it('accepts a definition whose templates read only keys in scope', () => {
    expect(issues(definition(() => {}))).toEqual([]);
  });

  it('accepts captured values (callback, token response, post-authorization steps) in scope and refuses a misspelt one', () => {
    const capturing = (path: string) =>
      definition((d) => {
        Object.assign(d.authMethods[0]!, {
          captured: [{ key: 'realm_id', from: 'callback', field: 'realmId' }],
          postAuthorization: [
            {
              id: 'tenant',
              url: 'https://api.acme.example/connections',
              captured: [{ key: 'tenant_id', field: 'tenantId' }],
            },
          ],
        });
        d.endpoints[0]!.url = `https://api.acme.example/${path}/orders`;
        d.endpoints[0]!.request.headers = { 'X-Tenant': '{{tenant_id}}' };
        d.endpoints[0]!.authMethods = ['oauth'];
      });
    expect(issues(capturing('{{realm_id}}'))).toEqual([]);
    expect(issues(capturing('{{realmid}}')).map((i) => [i.path, i.message])).toEqual([
      [
        'endpoints[0].url',
        'uses "{{realmid}}", which is not a variable of the connector, this endpoint or its auth methods: did you mean "{{realm_id}}"?',
      ],
    ]);
  });

  it("checks a post-authorization step's URL and body, where credentials are in scope", () => {
    const stepping = (token: string, host: string) =>
      definition((d) => {
        Object.assign(d.authMethods[0]!, {
          postAuthorization: [
            {
              id: 'token-info',
              method: 'POST',
              url: `https://${host}/introspect`,
              bodyFormat: 'form',
              request: { body: { token, client_secret: '{{client_secret}}' } },
              captured: [{ key: 'hub_id', field: 'hub_id' }],
            },
          ],
        });
      });
    expect(issues(stepping('{{access_token}}', 'api.acme.example/{{account}}'))).toEqual([]);
    expect(
      issues(stepping('{{acces_token}}', 'api.acme.example/{{acount}}')).map((i) => [
        i.path,
        i.message,
      ]),
    ).toEqual([
      [
        'authMethods[0].postAuthorization[0].url',
        expect.stringContaining('did you mean "{{account}}"?'),
      ],
      [
        'authMethods[0].postAuthorization[0].request.body.token',
        expect.stringContaining('did you mean "{{access_token}}"?'),
      ],
    ]);
  });

  it('never suggests a declared key that is not a valid key (a space, a "/")', () => {
    for (const bad of ['store name', 'store/name']) {
      const found = issues(
        definition((d) => {
          d.variables.push({ key: bad, required: true });
          d.endpoints[0]!.url = 'https://api.acme.example/{{account}}/{{store_name}}';
        }),
      );
      // The bad key is reported where it is declared...
      expect(found).toContainEqual(
        expect.objectContaining({ path: 'variables[1].key', code: 'invalid_format' }),
      );
      // ...and the template's key gets no did-you-mean that could not be written.
      const unknown = found.find((i) => i.code === 'unknown_template_key');
      expect(unknown?.message).toContain('"{{store_name}}"');
      expect(unknown?.message).not.toContain(bad);
      expect(unknown?.message).not.toContain('did you mean');
    }
  });

  it('refuses a misspelt credential key in an endpoint header, with a did-you-mean', () => {
    const found = issues(
      definition((d) => {
        d.endpoints[0]!.request.headers = { Authorization: 'Bearer {{acces_token}}' };
        d.endpoints[0]!.authMethods = ['oauth'];
      }),
    );
    expect(found).toEqual([
      {
        path: 'endpoints[0].request.headers.Authorization',
        message: expect.stringContaining('did you mean "{{access_token}}"?'),
        code: 'unknown_template_key',
      },
    ]);
  });

  it('refuses a misspelt connector variable in an endpoint URL and in a method URL', () => {
    const found = issues(
      definition((d) => {
        d.endpoints[0]!.url = 'https://api.acme.example/{{acount}}/orders';
        Object.assign(d.authMethods[0]!, {
          urls: { token: 'https://auth.acme.example/{{acount}}/token' },
        });
      }),
    );
    expect(found.map((i) => [i.path, i.message])).toEqual([
      [
        'authMethods[0].urls.token',
        'uses "{{acount}}", which is not a variable of the connector or this method: did you mean "{{account}}"?',
      ],
      [
        'endpoints[0].url',
        'uses "{{acount}}", which is not a variable of the connector, this endpoint or its auth methods: did you mean "{{account}}"?',
      ],
    ]);
  });

  it("names the methods that lack a key only some of an endpoint's methods have", () => {
    const found = issues(
      definition((d) => {
        d.endpoints[0]!.request.headers = { 'X-Region': '{{region}}' };
      }),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('the auth method "oauth" enabled here does not have');
  });

  it('reads the credential keys of a strategy from its own apply ({{token}})', () => {
    const ok = definition((d) => {
      d.authMethods[1]!.apply = { headers: { 'X-Api-Key': '{{token}}' } };
    });
    expect(issues(ok)).toEqual([]);
    const typo = definition((d) => {
      d.authMethods[1]!.apply = { headers: { 'X-Api-Key': '{{tokn}}' } };
    });
    expect(issues(typo)[0]).toMatchObject({
      path: 'authMethods[1].apply.headers.X-Api-Key',
      message: expect.stringContaining('did you mean "{{token}}"?'),
    });
  });

  it('explains a key with nothing close and skips methods whose strategy is unknown', () => {
    const found = issues(
      definition((d) => {
        d.endpoints[0]!.request.query = { page: '{{cursor}}' };
        d.endpoints[0]!.authMethods = ['oauth'];
      }),
    );
    expect(found[0]!.message).toContain('declare "cursor" as a variable');
    const unknownOnly = definition((d) => {
      d.authMethods[1]!.type = 'engine-own';
      d.endpoints[0]!.authMethods = ['key'];
      d.endpoints[0]!.request.query = { page: '{{cursor}}' };
    });
    expect(issues(unknownOnly).map((i) => i.code)).toEqual(['unknown_type']);
  });
});

describe('unknown fields', () => {
  it('suggests the nearest field name of that object', () => {
    const found = issues(
      definition((d) => {
        Object.assign(d.endpoints[0]!, { metod: 'GET' });
        Object.assign(d.authMethods[0]!, { varaibles: [] });
        Object.assign(d, { descripton: 'x' });
      }),
    );
    expect(found.map((i) => [i.path, i.message])).toEqual(
      expect.arrayContaining([
        ['descripton', 'is not a known field: did you mean "description"?'],
        ['authMethods[0].varaibles', 'is not a known field: did you mean "variables"?'],
        ['endpoints[0].metod', 'is not a known field: did you mean "method"?'],
      ]),
    );
  });

  it("points a strategy variable written as a method field to the method's variables", () => {
    const found = issues(
      definition((d) => {
        Object.assign(d.authMethods[0]!, { clientSecret: 'x' });
      }),
    );
    expect(found).toEqual([
      {
        path: 'authMethods[0].clientSecret',
        message: expect.stringContaining(
          '"client_secret" is a variable of the "oauth2-authorization-code" strategy',
        ),
        code: 'unknown_field',
      },
    ]);
  });
});

describe('YAML syntax', () => {
  it('reports one error with its line and column', () => {
    const text = 'id: acme\nname: A & B: C\nversion: "1"\nurl: [a, b\n';
    let found: DefinitionIssue[] = [];
    try {
      parseConnectorText(text, 'yaml');
    } catch (error) {
      found = (error as SpliceError).details['issues'] as DefinitionIssue[];
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ code: 'syntax', line: 2 });
    expect(found[0]!.message).toMatch(/^is not valid YAML at line 2, column \d+: /);
  });
});

describe('nearestName', () => {
  it('finds a case or separator variant, then the nearest within a third of the length', () => {
    expect(nearestName('clientSecret', ['client_id', 'client_secret'])).toBe('client_secret');
    expect(nearestName('authorize', ['token', 'authorise'])).toBe('authorise');
    expect(nearestName('acount', ['account', 'status'])).toBe('account');
    expect(nearestName('colour', ['id', 'name', 'version'])).toBeUndefined();
    expect(nearestName('name', ['name'])).toBeUndefined();
  });
});
