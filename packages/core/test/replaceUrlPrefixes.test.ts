import { parseConnector, replaceUrlPrefix, replaceUrlPrefixes } from '@splice/core';
import { describe, expect, it } from 'vitest';

describe('replaceUrlPrefix', () => {
  const map = { 'https://a.com': 'http://127.0.0.1:4000' };

  it('re-points the key itself, and the key followed by / or ?', () => {
    expect(replaceUrlPrefix('https://a.com', map)).toBe('http://127.0.0.1:4000');
    expect(replaceUrlPrefix('https://a.com/v1/me', map)).toBe('http://127.0.0.1:4000/v1/me');
    expect(replaceUrlPrefix('https://a.com?x=1', map)).toBe('http://127.0.0.1:4000?x=1');
  });

  it('never matches a bare prefix: another host or a longer path segment', () => {
    for (const url of [
      'https://a.com.evil',
      'https://a.com.evil/v1',
      'https://a.comx/v1',
      'https://a.com:8443/v1',
      'http://a.com/v1',
    ]) {
      expect(replaceUrlPrefix(url, map)).toBe(url);
    }
    expect(replaceUrlPrefix('https://a.com/tokens', { 'https://a.com/token': 'X' })).toBe(
      'https://a.com/tokens',
    );
  });

  it('takes the longest matching key, whatever the order of the map', () => {
    const keys = {
      'https://api.xero.com': 'http://sim',
      'https://api.xero.com/connections': 'http://sim/connections',
    };
    const reversed = Object.fromEntries(Object.entries(keys).reverse());
    for (const m of [keys, reversed]) {
      expect(replaceUrlPrefix('https://api.xero.com/connections', m)).toBe(
        'http://sim/connections',
      );
      expect(replaceUrlPrefix('https://api.xero.com/api.xro/2.0/Invoices', m)).toBe(
        'http://sim/api.xro/2.0/Invoices',
      );
    }
  });

  it('compares templates and origin patterns as written', () => {
    const templates = {
      '{{accounts_server}}/oauth/v2/token': '{{accounts_server}}/token',
      'https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token':
        'http://sim/token?tenant={{tenant}}',
      'https://*.my.salesforce.com': 'http://sim',
    };
    expect(replaceUrlPrefix('{{accounts_server}}/oauth/v2/token', templates)).toBe(
      '{{accounts_server}}/token',
    );
    expect(
      replaceUrlPrefix('https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token', templates),
    ).toBe('http://sim/token?tenant={{tenant}}');
    expect(replaceUrlPrefix('https://*.my.salesforce.com', templates)).toBe('http://sim');
  });

  it('joins a query of the replacement and one of the URL with &', () => {
    expect(
      replaceUrlPrefix('https://l.com/authorize?prompt=consent', {
        'https://l.com/authorize': 'http://s/auth?tenant=common',
      }),
    ).toBe('http://s/auth?tenant=common&prompt=consent');
  });

  it('leaves a URL no key matches, and ignores an empty key', () => {
    expect(replaceUrlPrefix('https://b.com/x', map)).toBe('https://b.com/x');
    expect(replaceUrlPrefix('https://b.com/x', { '': 'http://evil' })).toBe('https://b.com/x');
  });
});

describe('replaceUrlPrefixes', () => {
  const written = parseConnector({
    id: 'ledger',
    name: 'Ledger',
    version: 1,
    authMethods: [
      {
        id: 'oauth',
        name: 'OAuth',
        type: 'oauth2-authorization-code',
        documentationUrl: 'https://ledger.example/docs/oauth',
        variables: [{ key: 'scope', default: 'https://ledger.example/auth/read' }],
        urls: {
          authorise: 'https://ledger.example/oauth/authorize',
          token: 'https://ledger.example/oauth/token',
        },
        captured: [
          {
            key: 'api_url',
            from: 'token',
            field: 'api_url',
            origins: ['https://*.api.ledger.example', 'https://ledger.example.evil'],
          },
        ],
        postAuthorization: [
          {
            id: 'tenant',
            url: 'https://ledger.example/connections',
            choices: { id: 'id' },
            captured: [{ key: 'region_url', field: 'url', origins: ['https://eu.ledger.example'] }],
          },
        ],
      },
    ],
    endpoints: [
      {
        id: 'me',
        name: 'Me',
        method: 'GET',
        url: '{{api_url}}/v1/me',
        authMethods: ['oauth'],
      },
      {
        id: 'books',
        name: 'Books',
        method: 'GET',
        url: 'https://ledger.example/v1/books?tenant={{tenant_id}}',
        authMethods: ['oauth'],
      },
    ],
  });
  const map = {
    'https://ledger.example': 'http://127.0.0.1:4000',
    'https://*.api.ledger.example': 'http://127.0.0.1:4000',
    'https://eu.ledger.example': 'http://127.0.0.1:4001',
  };

  it('re-points method urls, step urls, captured origins and endpoint urls, and nothing else', () => {
    const moved = replaceUrlPrefixes(written, map);
    const method = moved.authMethods[0]!;
    expect(method.urls).toEqual({
      authorise: 'http://127.0.0.1:4000/oauth/authorize',
      token: 'http://127.0.0.1:4000/oauth/token',
    });
    expect(method.captured?.[0]?.origins).toEqual([
      'http://127.0.0.1:4000',
      'https://ledger.example.evil',
    ]);
    expect(method.postAuthorization?.[0]?.url).toBe('http://127.0.0.1:4000/connections');
    expect(method.postAuthorization?.[0]?.captured[0]?.origins).toEqual(['http://127.0.0.1:4001']);
    expect(moved.endpoints.map((e) => e.url)).toEqual([
      '{{api_url}}/v1/me',
      'http://127.0.0.1:4000/v1/books?tenant={{tenant_id}}',
    ]);
    // A scope that looks like a URL and the documentation link stay as written.
    expect(method.variables).toEqual(written.authMethods[0]!.variables);
    expect(method.documentationUrl).toBe('https://ledger.example/docs/oauth');
    // Plain data: the input is not changed, and the result validates again.
    expect(written.authMethods[0]!.urls['token']).toBe('https://ledger.example/oauth/token');
    expect(parseConnector(JSON.parse(JSON.stringify(moved))).endpoints[1]!.url).toBe(
      'http://127.0.0.1:4000/v1/books?tenant={{tenant_id}}',
    );
  });

  it('returns an equal definition for an empty map', () => {
    expect(replaceUrlPrefixes(written, {})).toEqual(written);
  });

  it('refuses a map that is not an object of strings, naming the key', () => {
    expect(() => replaceUrlPrefixes(written, { a: 1 } as never)).toThrow(
      /"map\.a" must be a string/,
    );
    expect(() => replaceUrlPrefixes(written, null as never)).toThrow(/"map" must be an object/);
  });

  it('refuses a key that re-points nothing (a typo would leave the real URL), naming it', () => {
    expect(() =>
      replaceUrlPrefixes(written, {
        'https://ledger.example': 'http://127.0.0.1:4000',
        'https://ledgr.example': 'http://127.0.0.1:4001',
      }),
    ).toThrow(/No URL of connector "\w+" begins with "https:\/\/ledgr\.example"/);
  });
});
