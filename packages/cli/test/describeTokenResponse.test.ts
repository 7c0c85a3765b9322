import { readFileSync } from 'node:fs';
import { parseConnectorText } from '@splice/core';
import { describe, expect, it } from 'vitest';
import { describeTokenExchange } from '../src/authTest/describeTokenExchange.js';
import {
  leafPaths,
  parseTokenResponse,
  redactedShape,
} from '../src/authTest/describeTokenResponse.js';

describe('parseTokenResponse', () => {
  it('reads JSON objects', () => {
    expect(parseTokenResponse('{"access_token":"a","expires_in":60}', 'application/json')).toEqual({
      format: 'json',
      body: { access_token: 'a', expires_in: 60 },
    });
  });
  it('reads form-encoded bodies', () => {
    expect(
      parseTokenResponse('access_token=a&expires_in=60', 'application/x-www-form-urlencoded'),
    ).toEqual({ format: 'form', body: { access_token: 'a', expires_in: '60' } });
  });
  it('sniffs a mislabelled body as the strategy does', () => {
    expect(parseTokenResponse('{"access_token":"a"}', 'text/plain')).toEqual({
      format: 'json',
      body: { access_token: 'a' },
    });
  });
  it('gives up on anything else', () => {
    expect(parseTokenResponse('<html>oops</html>', 'text/html')).toEqual({
      format: 'other',
      body: undefined,
    });
  });
});

describe('redactedShape', () => {
  it('keeps the structure and hides every value', () => {
    const shape = redactedShape({
      data: { token: 'secret-token-value', ttl: 3600, scopes: ['a', 'b'] },
      ok: true,
      none: null,
    });
    expect(shape).toEqual({
      data: {
        token: '<string, 18 chars>',
        ttl: '<number>',
        scopes: ['<string, 1 chars>', '<string, 1 chars>'],
      },
      ok: '<boolean>',
      none: null,
    });
    expect(JSON.stringify(shape)).not.toContain('secret-token-value');
  });
});

describe('leafPaths', () => {
  it('lists string and number leaves by dotted path', () => {
    expect(leafPaths({ a: 'x', b: { c: 1, d: [1] }, e: true })).toEqual([
      ['a', 'string'],
      ['b.c', 'number'],
    ]);
  });
});

describe('describeTokenExchange', () => {
  const connector = parseConnectorText(
    readFileSync(new URL('./fixtures/acme.yaml', import.meta.url), 'utf8'),
    'yaml',
  );
  const method = connector.authMethods.find((m) => m.id === 'acme-oauth')!;
  const describeBody = (body: object) =>
    describeTokenExchange({
      connector,
      method,
      variables: {},
      recording: {
        exchanges: [
          {
            method: 'POST',
            url: 'https://auth.acme.example/token',
            status: 200,
            contentType: 'application/json',
            body: JSON.stringify(body),
          },
        ],
        dispatcher: undefined as never,
        close: async () => {},
      },
    })!;

  it('reports a usable expires_in or expires_at as found', () => {
    for (const body of [
      { access_token: 'tok-secret', refresh_token: 'r-secret', expires_in: 3600 },
      { access_token: 'tok-secret', refresh_token: 'r-secret', expires_in: '3600' },
    ]) {
      const described = describeBody(body);
      expect(described.allKeysFound).toBe(true);
      expect(described.lines.join('\n')).toMatch(
        /✔ expiry\s+response_expires_in_key = "expires_in": found \((number|string)\)$/m,
      );
    }
    const absolute = describeBody({
      access_token: 'tok-secret',
      refresh_token: 'r-secret',
      expires_at: '2030-01-01T00:00:00Z',
    });
    expect(absolute.allKeysFound).toBe(true);
    expect(absolute.lines.join('\n')).toContain(
      '✔ expiry        response_expires_in_key = "expires_in": found as expires_at (absolute) (string)',
    );
  });

  it('reports an expiry the runtime cannot use as found but unusable, read as unknown', () => {
    for (const expires of [{ expires_in: 'soon' }, { expires_in: -5 }, { expires_in: 1e20 }]) {
      const described = describeBody({
        access_token: 'tok-secret',
        refresh_token: 'r-secret',
        ...expires,
      });
      const text = described.lines.join('\n');
      expect(described.allKeysFound).toBe(false);
      expect(text).not.toContain('✔ expiry');
      expect(text).toMatch(
        /! expiry\s+response_expires_in_key = "expires_in": found \((string|number)\) but unusable, so read as an unknown expiry/,
      );
      expect(text).toContain('a lifetime must be a number of seconds, 0 or more');
      expect(text).toContain(
        'with an unknown expiry, Splice cannot refresh ahead of expiry and waits for an expired-token status (401)',
      );
      expect(text).not.toMatch(/soon|-5|1e\+?20|tok-secret|r-secret/);
    }
    const absolute = describeBody({ access_token: 'tok-secret', expires_at: 'next tuesday' });
    expect(absolute.allKeysFound).toBe(false);
    expect(absolute.lines.join('\n')).toContain(
      'found as expires_at (absolute) (string) but unusable, so read as an unknown expiry',
    );
    expect(absolute.lines.join('\n')).toContain(
      'an absolute expires_at must be epoch seconds, epoch milliseconds or a date string',
    );
  });

  it('marks a missing refresh token or expiry as a warning (the token works), a missing access token as a failure', () => {
    const text = describeBody({ access_token: 'tok-secret' }).lines.join('\n');
    expect(text).toMatch(
      /^ {2}! refresh token\s+response_refresh_token_key = "refresh_token": not in the response$/m,
    );
    expect(text).toMatch(
      /^ {2}! expiry\s+response_expires_in_key = "expires_in": not in the response$/m,
    );
    const none = describeBody({ token: 'tok-secret', refresh_token: 'r-secret', expires_in: 60 });
    expect(none.lines.join('\n')).toMatch(
      /^ {2}✖ access token\s+response_authentication_token_key = "access_token": not in the response$/m,
    );
  });

  it('reads expires_at when the lifetime key is present but empty, as the runtime does', () => {
    const described = describeBody({
      access_token: 'tok-secret',
      refresh_token: 'r-secret',
      expires_in: null,
      expires_at: 2_000_000_000,
    });
    expect(described.allKeysFound).toBe(true);
    expect(described.lines.join('\n')).toContain('found as expires_at (absolute) (number)');
  });

  it('says a lifetime key present as null or "" gives no expiry, read as unknown, not that it is missing', () => {
    for (const expires_in of [null, '']) {
      const described = describeBody({
        access_token: 'tok-secret',
        refresh_token: 'r',
        expires_in,
      });
      const text = described.lines.join('\n');
      expect(described.allKeysFound).toBe(false);
      expect(text).toMatch(/"expires_in": (null|"<string, 0 chars>")/);
      expect(text).toContain(
        `! expiry        response_expires_in_key = "expires_in": present but ${expires_in === null ? 'null' : 'empty ("")'}, which gives no expiry, so read as an unknown expiry`,
      );
      expect(text).toContain(
        'with an unknown expiry, Splice cannot refresh ahead of expiry and waits for an expired-token status (401)',
      );
      expect(text).not.toContain('not in the response');
    }
  });

  it('warns that a token whose expiry is over as it arrives is refreshed before every call', () => {
    for (const expiry of [{ expires_in: 0 }, { expires_in: '0' }, { expires_at: 1_000_000_000 }]) {
      const described = describeBody({ access_token: 'tok-secret', refresh_token: 'r', ...expiry });
      const text = described.lines.join('\n');
      expect(described.allKeysFound).toBe(false);
      expect(text).not.toContain('✔ expiry');
      expect(text).toMatch(
        /! expiry\s+response_expires_in_key = "expires_in": found.* but the token is expired as it arrives$/m,
      );
      expect(text).toContain(
        'Splice treats the token as already expired: it refreshes before every call while there is a refresh token',
      );
    }
  });
});
