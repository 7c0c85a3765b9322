import { describe, expect, it } from 'vitest';
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
