import {
  compileOriginPatterns,
  compileTemplate,
  compileUrlTemplate,
  SpliceError,
} from '@splice/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = 5000;
// Thousands of runs on a shared, busy machine: give each property room beyond vitest's 5 s default.
const TIMEOUT = { timeout: 120_000 };

function wellFormed(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}

// Values an attacker would try: URL delimiters, encodings of them, unicode, control characters.
const RESERVED = [
  '/',
  '\\',
  '?',
  '#',
  '@',
  ':',
  '&',
  '=',
  '+',
  ';',
  ',',
  '%',
  '%2F',
  '%2e',
  '.',
  '..',
  '//',
  '\r',
  '\n',
  '\t',
  ' ',
  '\0',
  '[',
  ']',
  '!',
  '$',
  "'",
  '(',
  ')',
  '*',
  '~',
  'http://evil.example',
  '//evil.example',
  '@evil.example',
  ':8080',
  'ü',
  '€',
  '😀',
  '\u2028',
  '\uFF0F',
  '\uFF1F',
];
const nasty = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc
    .array(fc.oneof(fc.constantFrom(...RESERVED), fc.string({ maxLength: 3 })), { maxLength: 8 })
    .map((parts) => parts.join('')),
);

const ORIGINS = [
  'https://api.acme.example',
  'https://api.acme.example:8443',
  'http://127.0.0.1:3000',
  'http://localhost:8080',
  'http://[::1]:9000',
];

// Templates with placeholders in path segments (alone or next to literal text) and query values.
const template = fc
  .record({
    origin: fc.constantFrom(...ORIGINS),
    path: fc.array(fc.constantFrom('{{a}}', 'x{{a}}', '{{a}}.json', 'v1', '{{b}}', 'p{{b}}q'), {
      minLength: 0,
      maxLength: 4,
    }),
    query: fc.array(fc.constantFrom('q={{a}}', 'r={{b}}', '{{a}}={{b}}', 'fixed=1'), {
      maxLength: 3,
    }),
    fragment: fc.constantFrom('', '#{{b}}', '#top'),
  })
  .map(({ origin, path, query, fragment }) => {
    const q = query.length > 0 ? `?${query.join('&')}` : '';
    // No path at all is allowed too: the query or fragment then follows the host directly.
    const p = path.length === 0 && (q !== '' || fragment !== '') ? '' : `/${path.join('/')}`;
    return `${origin}${p}${q}${fragment}`;
  });

describe('compileUrlTemplate (properties)', TIMEOUT, () => {
  it('never lets a path, query or fragment value change the origin or add userinfo', () => {
    fc.assert(
      fc.property(template, nasty, nasty, (source, a, b) => {
        const compiled = compileUrlTemplate(source, 'property');
        let rendered: string;
        try {
          rendered = compiled.render({ a, b });
        } catch (error) {
          // Only the documented refusals: "." / ".." segments and lone surrogates.
          expect(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE')).toBe(true);
          return;
        }
        const parsed = new URL(rendered);
        expect(parsed.origin).toBe(compiled.origin);
        expect(parsed.origin).toBe(new URL(source.replaceAll(/\{\{[ab]\}\}/g, 'x')).origin);
        expect(parsed.username).toBe('');
        expect(parsed.password).toBe('');
      }),
      { numRuns: RUNS },
    );
  });

  it('round-trips a path segment value and a query value exactly', () => {
    fc.assert(
      fc.property(nasty, nasty, (a, b) => {
        const compiled = compileUrlTemplate(
          'https://api.acme.example/v1/{{a}}/orders?status={{b}}&page=2',
          'property',
        );
        let rendered: string;
        try {
          rendered = compiled.render({ a, b });
        } catch (error) {
          expect(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE')).toBe(true);
          expect(a === '.' || a === '..' || !wellFormed(a) || !wellFormed(b)).toBe(true);
          return;
        }
        const parsed = new URL(rendered);
        const segments = parsed.pathname.split('/');
        expect(segments).toHaveLength(4);
        expect(segments[1]).toBe('v1');
        expect(decodeURIComponent(segments[2]!)).toBe(a);
        expect(segments[3]).toBe('orders');
        expect(parsed.searchParams.get('status')).toBe(b);
        expect(parsed.searchParams.get('page')).toBe('2');
        expect([...parsed.searchParams.keys()]).toEqual(['status', 'page']);
        expect(parsed.hash).toBe('');
      }),
      { numRuns: RUNS },
    );
  });

  it('accepts a host value only when it is a whole DNS label the URL parser accepts, and keeps the rest of the host', () => {
    const label = /^[A-Za-z0-9-]{1,63}$/;
    const values = fc.oneof(
      nasty,
      fc.stringMatching(/^[A-Za-z0-9-]{1,63}$/),
      fc.stringMatching(/^[xX][nN]--[A-Za-z0-9-]{0,10}$/), // punycode, valid or not (UTS #46)
      fc.constantFrom('xn--zz', 'xn--', 'XN--A', 'xn--ls8h', 'xn--nxasmq6b', 'xn--a-ecp'),
      fc.string({ unit: fc.constantFrom(...'abcXYZ019-._/@:'), minLength: 0, maxLength: 70 }),
    );
    fc.assert(
      fc.property(values, (store) => {
        const compiled = compileUrlTemplate('https://{{store}}.shop.example:8443/x', 'property');
        const acceptable =
          label.test(store) && URL.canParse(`https://${store}.shop.example:8443/x`);
        let rendered: string;
        try {
          rendered = compiled.render({ store });
        } catch (error) {
          expect(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE')).toBe(true);
          expect((error as SpliceError<'TEMPLATE_UNSAFE_VALUE'>).details.key).toBe('store');
          expect(acceptable).toBe(false);
          return;
        }
        expect(acceptable).toBe(true);
        expect(rendered).toBe(`https://${store}.shop.example:8443/x`);
        // Every rendering parses: a refused host never reaches the URL parser of a caller.
        const parsed = new URL(rendered);
        expect(parsed.hostname).toBe(`${store.toLowerCase()}.shop.example`);
        expect(parsed.port).toBe('8443');
        expect(parsed.protocol).toBe('https:');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('origin placeholders (properties)', TIMEOUT, () => {
  // Independent of the matcher: the allowed origins spelled out as a predicate on a parsed URL.
  function allowed(url: URL): boolean {
    if (url.username !== '' || url.password !== '') return false;
    if (url.protocol === 'http:') return url.host === '127.0.0.1:3000';
    if (url.protocol !== 'https:' || url.port !== '') return false;
    const labels = url.hostname.split('.');
    return (
      (labels.length === 4 && labels.slice(1).join('.') === 'my.salesforce.com') ||
      url.hostname === 'www.zohoapis.eu'
    );
  }
  const patterns = compileOriginPatterns([
    'https://*.my.salesforce.com',
    'https://www.zohoapis.eu',
    'http://127.0.0.1:3000',
  ]);
  const origins = fc.oneof(
    nasty,
    fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'HTTPS://', 'https:/', 'https:\\\\', ''),
        fc.array(
          fc.oneof(
            fc.constantFrom('acme', 'my', 'salesforce', 'com', 'evil', 'www', 'zohoapis', 'eu'),
            fc.constantFrom('127.0.0.1', 'a@b', 'x:1', '%2e', '..', ''),
          ),
          { minLength: 1, maxLength: 6 },
        ),
        fc.constantFrom('', '/', ':443', ':3000', '/x', '?q', '#f', '@evil.example', '\\evil'),
      )
      .map(([scheme, labels, tail]) => `${scheme}${labels.join('.')}${tail}`),
  );

  it('never makes a value outside the declared patterns the origin of a request', () => {
    const compiled = compileUrlTemplate('{{base}}/services/{{a}}?q={{b}}', 'property', {
      origins: { base: patterns },
    });
    fc.assert(
      fc.property(origins, nasty, nasty, (base, a, b) => {
        let rendered: string;
        try {
          rendered = compiled.render({ base, a, b });
        } catch (error) {
          expect(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE')).toBe(true);
          return;
        }
        const parsed = new URL(rendered);
        expect(allowed(parsed)).toBe(true);
        expect(parsed.pathname.split('/')[1]).toBe('services');
        // The rendered origin is the value itself, not a part of it.
        expect(parsed.origin).toBe(new URL(base).origin);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('compileTemplate (properties)', TIMEOUT, () => {
  // An oracle written apart from the regex it checks: code unit by code unit.
  const headerSafe = (text: string): boolean =>
    [...text].every((c) => {
      const code = c.codePointAt(0)!;
      return code === 0x09 || (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff);
    });

  it('renders a header value exactly when it holds no control character but tab and nothing above U+00FF', () => {
    const sources = fc.constantFrom('Bearer {{t}}', '{{t}}', '{{t}}; {{u}}', 'k={{u}},{{t}}');
    fc.assert(
      fc.property(sources, nasty, nasty, (source, t, u) => {
        const compiled = compileTemplate(source, 'header', 'property');
        let rendered: string;
        try {
          rendered = compiled.render({ t, u });
        } catch (error) {
          expect(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE')).toBe(true);
          const used = source.includes('{{u}}') ? t + u : t;
          expect(headerSafe(used)).toBe(false);
          expect((error as Error).message.includes(t) && t.length > 8).toBe(false);
          return;
        }
        expect(headerSafe(rendered)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
