import {
  type AuthStrategy,
  type CaptureWhere,
  captureValues,
  parseConnector,
  SpliceError,
} from '@splice/core';
import { describe, expect, it } from 'vitest';

type Json = Record<string, unknown>;

/** Salesforce-like: the API origin comes from the token response's instance_url. */
function salesforce(): Json {
  return {
    id: 'salesforce',
    name: 'Salesforce',
    version: 1,
    authMethods: [
      {
        id: 'oauth',
        name: 'OAuth',
        type: 'oauth2-authorization-code',
        urls: {
          authorise: 'https://login.salesforce.com/services/oauth2/authorize',
          token: 'https://login.salesforce.com/services/oauth2/token',
        },
        captured: [
          {
            key: 'instance_url',
            from: 'token',
            field: 'instance_url',
            origins: ['https://*.my.salesforce.com'],
          },
        ],
        postAuthorization: [
          {
            id: 'identity',
            url: '{{instance_url}}/services/oauth2/userinfo',
            captured: [{ key: 'org_id', field: 'organization_id' }],
          },
        ],
      },
    ],
    endpoints: [
      {
        id: 'query',
        name: 'Query',
        method: 'GET',
        url: '{{instance_url}}/services/data/v59.0/query?q={{soql | trim}}',
        variables: [{ key: 'soql' }],
        authMethods: ['oauth'],
      },
    ],
  };
}

function issuesOf(
  input: Json,
  strategies?: AuthStrategy[],
): { path: string; code?: string; message: string }[] {
  try {
    parseConnector(input, strategies === undefined ? {} : { strategies });
  } catch (error) {
    if (SpliceError.is(error, 'CONNECTOR_INVALID')) return [...error.details.issues];
    throw error;
  }
  return [];
}

const method = (input: Json) => (input['authMethods'] as Json[])[0]!;

describe('captured values in definitions', () => {
  it('accepts captured values, steps and an endpoint that begins with a captured origin', () => {
    const parsed = parseConnector(salesforce());
    expect(parsed.authMethods[0]!.captured).toEqual([
      {
        key: 'instance_url',
        from: 'token',
        field: 'instance_url',
        secret: false,
        required: true,
        origins: ['https://*.my.salesforce.com'],
      },
    ]);
    expect(parsed.authMethods[0]!.postAuthorization?.[0]).toMatchObject({
      id: 'identity',
      method: 'GET',
      captured: [{ key: 'org_id', field: 'organization_id', required: true }],
    });
    // Plain data: a JSON round trip changes nothing.
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
  });

  it('refuses an origin placeholder the method does not capture with origins', () => {
    const input = salesforce();
    delete (method(input)['captured'] as Json[])[0]!['origins'];
    const issues = issuesOf(input);
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['endpoints[0].url', 'authMethods[0].postAuthorization[0].url']),
    );
    expect(issues.find((i) => i.path === 'endpoints[0].url')?.message).toContain(
      'captures "instance_url" with allowed "origins"',
    );
  });

  it('refuses an endpoint origin when one of its methods does not capture it', () => {
    const input = salesforce();
    (input['authMethods'] as Json[]).push({ id: 'other', name: 'Other', type: 'token' });
    ((input['endpoints'] as Json[])[0]!['authMethods'] as string[]).push('other');
    expect(issuesOf(input).map((i) => i.path)).toContain('endpoints[0].url');
  });

  it('refuses bad origin patterns, reserved and duplicate keys', () => {
    const input = salesforce();
    const captured = method(input)['captured'] as Json[];
    captured[0]!['origins'] = ['https://*.com', 'http://api.example.com'];
    captured.push({ key: 'access_token', from: 'callback', field: 'x' });
    captured.push({ key: 'org_id', from: 'callback', field: 'y' });
    method(input)['variables'] = [{ key: 'realm' }];
    captured.push({ key: 'realm', from: 'callback', field: 'realmId' });
    const issues = issuesOf(input);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'authMethods[0].captured[0].origins[0]',
          code: 'invalid_origin',
        }),
        expect.objectContaining({
          path: 'authMethods[0].captured[0].origins[1]',
          code: 'invalid_origin',
        }),
        expect.objectContaining({ path: 'authMethods[0].captured[1].key', code: 'reserved_key' }),
        expect.objectContaining({
          path: 'authMethods[0].postAuthorization[0].captured[0].key',
          code: 'duplicate',
        }),
        expect.objectContaining({ path: 'authMethods[0].captured[3].key', code: 'duplicate' }),
      ]),
    );
  });

  it('refuses an unknown filter in an endpoint template', () => {
    const input = salesforce();
    (input['endpoints'] as Json[])[0]!['url'] = '{{instance_url}}/x/{{id | slug}}';
    expect(issuesOf(input)[0]?.message).toContain('unknown filter "slug"');
  });

  it('refuses captured values for a strategy that captures none', () => {
    const strategy = (capturesValues: boolean): AuthStrategy => ({
      type: 'oauth2-authorization-code',
      interactive: true,
      capturesValues,
      variables: [],
      apply: { headers: {}, query: {} },
      async getCredentials() {
        throw new Error('not called');
      },
    });
    expect(issuesOf(salesforce(), [strategy(false)])).toEqual([
      expect.objectContaining({ path: 'authMethods[0].captured', code: 'unsupported' }),
    ]);
    expect(issuesOf(salesforce(), [strategy(true)])).toEqual([]);
  });
});

/** Shopify-like: the callback's `shop` must be the instance's own store. */
function shopify(equals = '{{shop | lower}}.myshopify.com'): Json {
  return {
    id: 'shopify',
    name: 'Shopify',
    version: 1,
    variables: [{ key: 'shop', required: true }],
    authMethods: [
      {
        id: 'oauth',
        name: 'OAuth',
        type: 'oauth2-authorization-code',
        urls: {
          authorise: 'https://{{shop}}.myshopify.com/admin/oauth/authorize',
          token: 'https://{{shop}}.myshopify.com/admin/oauth/access_token',
        },
        captured: [{ key: 'shop_domain', from: 'callback', field: 'shop', equals }],
      },
    ],
    endpoints: [
      {
        id: 'products',
        name: 'Products',
        method: 'GET',
        url: 'https://{{shop}}.myshopify.com/admin/api/2025-10/products.json',
        authMethods: ['oauth'],
      },
    ],
  };
}

describe('callback values that must equal a template (equals)', () => {
  const strategy: AuthStrategy = {
    type: 'oauth2-authorization-code',
    interactive: true,
    capturesValues: true,
    variables: [],
    apply: { headers: {}, query: {} },
    async getCredentials() {
      throw new Error('not called');
    },
  };
  const definition = () => parseConnector(shopify()).authMethods[0]!.captured!;
  const where = (values?: Record<string, string>): CaptureWhere => ({
    source: 'callback',
    ids: { connectorId: 'shopify' },
    ...(values === undefined ? {} : { values }),
  });

  it('keeps a value equal to the rendered template', () => {
    expect(definition()[0]!.equals).toBe('{{shop | lower}}.myshopify.com');
    const read = () => 'acme-store.myshopify.com';
    expect(captureValues(definition(), read, where({ shop: 'ACME-Store' }))).toEqual({
      shop_domain: 'acme-store.myshopify.com',
    });
  });

  it('refuses another value, and any value when no instance values are given, never quoting it', () => {
    for (const [value, values] of [
      ['evil-store.myshopify.com', { shop: 'acme-store' }],
      ['acme-store.myshopify.com.evil.example', { shop: 'acme-store' }],
      ['acme-store.myshopify.com', undefined],
    ] as const) {
      expect(() => captureValues(definition(), () => value, where(values))).toThrow(
        expect.objectContaining({
          code: 'CAPTURE_INVALID',
          details: expect.objectContaining({
            key: 'shop_domain',
            field: 'shop',
            reason: 'mismatch',
          }),
          message: expect.not.stringContaining(value),
        }),
      );
    }
  });

  it('refuses equals outside the callback, a broken template and an unknown or credential key', () => {
    const token = shopify();
    (method(token)['captured'] as Json[])[0]!['from'] = 'token';
    expect(issuesOf(token)).toEqual([
      expect.objectContaining({ path: 'authMethods[0].captured[0].equals', code: 'invalid_value' }),
    ]);
    expect(issuesOf(shopify('{{shop | slug}}.myshopify.com'))[0]).toMatchObject({
      path: 'authMethods[0].captured[0].equals',
      code: 'invalid_template',
    });
    expect(issuesOf(shopify('{{access_token}}'))[0]).toMatchObject({
      path: 'authMethods[0].captured[0].equals',
      code: 'credential_in_template',
    });
    expect(issuesOf(shopify('{{shp}}.myshopify.com'), [strategy])).toEqual([
      expect.objectContaining({
        path: 'authMethods[0].captured[0].equals',
        code: 'unknown_template_key',
        message: expect.stringContaining('did you mean "{{shop}}"'),
      }),
    ]);
    const step = shopify();
    method(step)['postAuthorization'] = [
      {
        id: 'shop',
        url: 'https://{{shop}}.myshopify.com/admin/api/2025-10/shop.json',
        captured: [{ key: 'name', field: 'shop.name', equals: 'x' }],
      },
    ];
    expect(issuesOf(step)).toEqual([
      expect.objectContaining({
        path: 'authMethods[0].postAuthorization[0].captured[0].equals',
        code: 'unknown_field',
      }),
    ]);
  });
});
