import { describe, expect, it } from 'vitest';
import { checkMethodUrls } from '../src/index.js';

const urls = {
  required: { token: 'the token URL' },
  optional: { reauthenticate: 'the refresh URL' },
};

describe('checkMethodUrls', () => {
  it('reports a missing or blank required URL, an unknown name with a did-you-mean, and bad defaults at once', () => {
    const issues = checkMethodUrls(
      {
        urls: { token: '  ', reauthenticat: 'https://a.example/r', other: 'https://a.example/o' },
        variables: [{ key: 'pkce', default: 'sometimes' } as never],
      },
      'oauth2-x',
      urls,
      (key, value) => (key === 'pkce' && value !== 'S256' ? 'must be S256' : undefined),
    );
    expect(issues).toEqual([
      { path: 'urls.token', code: 'required', message: 'is required for oauth2-x (the token URL)' },
      {
        path: 'urls.reauthenticat',
        code: 'unknown_field',
        message: 'is not a URL of oauth2-x: did you mean "reauthenticate"?',
      },
      {
        path: 'urls.other',
        code: 'unknown_field',
        message: 'is not a URL of oauth2-x; use token, reauthenticate',
      },
      { path: 'variables[0].default', message: '"pkce" must be S256' },
    ]);
  });

  it('says a strategy without URLs uses none, and passes a method that names only known URLs', () => {
    expect(
      checkMethodUrls({ urls: { test: 'https://a.example' }, variables: [] }, 'basic', {
        required: {},
        optional: {},
      }),
    ).toEqual([
      {
        path: 'urls.test',
        code: 'unknown_field',
        message: 'is not a URL of basic; basic uses no URLs',
      },
    ]);
    expect(
      checkMethodUrls({ urls: { token: 'https://a.example/t' }, variables: [] }, 'x', urls),
    ).toEqual([]);
  });
});
