import { type AuthStrategy, parseConnector, resolveAuthMethod } from '@splice/core';
import { describe, expect, it } from 'vitest';

// The custom strategy of the README, kept here so the example stays true.
function apiKeyAuth(options: { header?: string } = {}): AuthStrategy {
  const header = options.header ?? 'X-Api-Key';
  return {
    type: 'api-key',
    interactive: false,
    variables: [
      {
        key: 'api_key',
        label: 'API key',
        required: true,
        secret: true,
        configurable: true,
        advanced: false,
        locked: true,
      },
    ],
    apply: { headers: { [header]: '{{api_key}}' }, query: {} },
    validateMethod: (method) =>
      Object.keys(method.urls).length > 0
        ? [{ path: 'urls', message: 'api-key uses no URLs' }]
        : [],
    async authenticate(ctx) {
      return { values: {}, obtainedAt: ctx.now() };
    },
    async getCredentials(ctx) {
      return { values: {}, obtainedAt: ctx.now() };
    },
  };
}

const definition = (urls: Record<string, string>) => ({
  id: 'shop',
  name: 'Shop',
  version: '1',
  authMethods: [
    {
      id: 'key',
      name: 'Key',
      type: 'api-key',
      urls,
      variables: [{ key: 'api_key', label: 'Key' }],
    },
  ],
  endpoints: [
    { id: 'e', name: 'E', method: 'GET', url: 'https://a.example/x', authMethods: ['key'] },
  ],
});

describe('a custom AuthStrategy', () => {
  it('has its locked variable merged and relabelled', () => {
    const strategy = apiKeyAuth();
    const shop = parseConnector(definition({}), { strategies: [strategy] });
    expect(resolveAuthMethod(shop.authMethods[0]!, strategy).variables).toEqual([
      {
        key: 'api_key',
        label: 'Key',
        required: true,
        secret: true,
        configurable: true,
        advanced: false,
        locked: true,
      },
    ]);
  });

  it('reports its validateMethod issues under the method path', () => {
    expect(() =>
      parseConnector(definition({ token: 'https://a.example/t' }), { strategies: [apiKeyAuth()] }),
    ).toThrow(/authMethods\[0\]\.urls: api-key uses no URLs/);
  });
});
