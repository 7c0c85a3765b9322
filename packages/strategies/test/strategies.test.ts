// The strategies' definitions and options: variables, method checks, option checks, entries.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type AuthStrategy, resolveAuthMethod, SpliceError } from '@splice/core';
import { describe, expect, it } from 'vitest';
import * as basicEntry from '../src/basic/index.js';
import * as root from '../src/index.js';
import * as oauth1Entry from '../src/oauth1/index.js';
import * as tokenEntry from '../src/token/index.js';
import { builtInStrategies, connector } from './support.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../src');

function parseError(run: () => unknown): SpliceError {
  try {
    run();
  } catch (error) {
    if (SpliceError.is(error)) return error;
    throw error;
  }
  throw new Error('expected CONNECTOR_INVALID');
}

describe('default variables', () => {
  const byType = (type: string): AuthStrategy =>
    builtInStrategies().find((strategy) => strategy.type === type)!;

  it('are locked, with the platform’s keys and labels', () => {
    const keys = (type: string) =>
      byType(type).variables.map((v) => [v.key, v.label, v.required, v.secret]);
    expect(keys('token')).toEqual([['token', 'Token', true, true]]);
    expect(keys('basic')).toEqual([
      ['username', 'Username', true, false],
      ['password', 'Password', true, true],
    ]);
    expect(keys('oauth1-pre-issued')).toEqual([
      ['consumer_key', 'Consumer key', true, false],
      ['consumer_secret', 'Consumer secret', true, true],
      ['token_id', 'Token ID', true, false],
      ['token_secret', 'Token secret', true, true],
      ['signature_method', 'Signature method', false, false],
      ['realm', 'Realm', false, false],
    ]);
    for (const strategy of builtInStrategies())
      expect(strategy.variables.every((v) => v.locked)).toBe(true);
  });

  it('default to HMAC-SHA1 for the redirect flow and HMAC-SHA256 for pre-issued tokens', () => {
    const method = (type: string) =>
      byType(type).variables.find((v) => v.key === 'signature_method')?.default;
    expect(method('oauth1')).toBe('HMAC-SHA1');
    expect(method('oauth1-pre-issued')).toBe('HMAC-SHA256');
  });

  it('may be relabelled by a definition, never removed', () => {
    const woo = connector(
      [{ id: 'woo', type: 'basic', variables: [{ key: 'username', label: 'Consumer key' }] }],
      [],
    );
    const resolved = resolveAuthMethod(woo.authMethods[0]!, root.basicAuth());
    expect(resolved.variables.map((v) => [v.key, v.label])).toEqual([
      ['username', 'Consumer key'],
      ['password', 'Password'],
    ]);
  });
});

describe('method checks (validateMethod, run by parseConnector and the runtime)', () => {
  it('refuses URLs a strategy does not read, and names the ones it needs', () => {
    const token = parseError(() =>
      connector([{ id: 't', type: 'token', urls: { token: 'https://x.example/t' } }], []),
    );
    expect(token.message).toContain('authMethods[0].urls.token: is not a URL of token; use test');
    const oauth = parseError(() => connector([{ id: 'o', type: 'oauth1' }], []));
    for (const name of ['request_token', 'authorise', 'access_token'])
      expect(oauth.message).toContain(`authMethods[0].urls.${name}: is required for oauth1`);
  });

  it('refuses an http test URL that is not loopback', () => {
    const error = parseError(() =>
      connector([{ id: 't', type: 'basic', urls: { test: 'http://api.example/me' } }], []),
    );
    expect(error.message).toContain('urls.test');
  });

  it('refuses a signature method Splice does not sign with, and a realm with a quote', () => {
    const error = parseError(() =>
      connector(
        [
          {
            id: 'n',
            type: 'oauth1-pre-issued',
            variables: [
              { key: 'signature_method', default: 'RSA-SHA1' },
              { key: 'realm', default: 'a"b' },
            ],
          },
        ],
        [],
      ),
    );
    expect(error.message).toContain('must be one of HMAC-SHA1, HMAC-SHA256, got "RSA-SHA1"');
    expect(error.message).toContain('"realm" must not contain quotes');
  });
});

describe('factory options', () => {
  it('are checked at once: unknown or malformed options are INVALID_OPTION TypeErrors', () => {
    for (const make of [root.tokenAuth, root.basicAuth, root.oauth1, root.oauth1PreIssued]) {
      expect(() => make({ retries: -1 })).toThrow(TypeError);
      expect(() => make({ retry: 2 } as never)).toThrow(/unknown/);
      expect(() => make({ retries: 0 })).not.toThrow();
    }
    expect(() => root.tokenAuth({ retries: 1.5 })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});

describe('encodeBasicCredentials (RFC 7617)', () => {
  it('gives the RFC’s examples', () => {
    expect(root.encodeBasicCredentials('Aladdin', 'open sesame')).toBe(
      'QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
    ); // §2
    expect(root.encodeBasicCredentials('test', '123\u00a3')).toBe('dGVzdDoxMjPCow=='); // §2.1
  });
});

describe('entries', () => {
  it('export the same strategies from the root entry and from their own', () => {
    expect(tokenEntry.tokenAuth).toBe(root.tokenAuth);
    expect(basicEntry.basicAuth).toBe(root.basicAuth);
    expect(oauth1Entry.oauth1).toBe(root.oauth1);
    expect(oauth1Entry.oauth1PreIssued).toBe(root.oauth1PreIssued);
  });

  // What a cold start loads: the modules an entry reaches through relative imports.
  function reachable(entry: string, seen = new Set<string>()): Set<string> {
    if (seen.has(entry)) return seen;
    seen.add(entry);
    const text = readFileSync(entry, 'utf8');
    for (const [, spec] of text.matchAll(/from '(\.[^']+)'/g)) {
      reachable(join(dirname(entry), spec!.replace(/\.js$/, '.ts')), seen);
    }
    return seen;
  }

  it('keep the OAuth 1 signer out of the token and basic entries', () => {
    for (const entry of ['token', 'basic']) {
      const files = [...reachable(join(SRC, entry, 'index.ts'))].map((f) => f.slice(SRC.length));
      expect(files.some((f) => f.startsWith('/oauth1'))).toBe(false);
      expect(files.some((f) => f.startsWith(`/${entry}/`))).toBe(true);
    }
    const oauth = [...reachable(join(SRC, 'oauth1', 'index.ts'))].map((f) => f.slice(SRC.length));
    expect(oauth.some((f) => f.startsWith('/token') || f.startsWith('/basic'))).toBe(false);
  });
});
