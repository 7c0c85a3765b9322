import { describe, expect, it } from 'vitest';
import {
  leafPaths,
  parseTokenResponse,
  readPath,
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

describe('readPath', () => {
  it('reads a plain key, a dotted path, and a key that contains a dot', () => {
    const body = { access_token: 'a', data: { token: 'b' }, 'x.y': 'c' };
    expect(readPath(body, 'access_token')).toBe('a');
    expect(readPath(body, 'data.token')).toBe('b');
    expect(readPath(body, 'x.y')).toBe('c');
    expect(readPath(body, 'data.missing')).toBeUndefined();
    expect(readPath(body, 'access_token.deeper')).toBeUndefined();
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
