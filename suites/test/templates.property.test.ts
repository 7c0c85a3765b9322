// Crafted variable values against the template compiler itself, 10,000 runs per property: a URL
// template keeps its scheme, host, port, userinfo and path shape whatever the values; a header
// template renders one header line of field-value characters or refuses. Refusals are TEMPLATE_UNSAFE_VALUE and never echo
// the value. A URL that begins with a captured origin takes only an origin its patterns allow.
// The same values go through callEndpoint to real servers in security.int.test.ts.
import {
  compileOriginPatterns,
  compileTemplate,
  compileUrlTemplate,
  SpliceError,
  type Template,
} from '@splice/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { craftedValue } from './support/craftedValues.js';

const RUNS = 10_000;
const TIMEOUT = { timeout: 120_000 };

/** URL templates with placeholders in host labels, path segments, query and fragment. */
const URL_TEMPLATES = [
  'https://{{a}}.api.example/v1/{{b}}?q={{c}}#{{d}}',
  'https://api.example:8443/{{a}}/{{b}}',
  'http://127.0.0.1:3000/x/{{a}}{{b}}/y?{{c}}={{d}}',
  'https://api.example/{{a}}.json?page={{b}}',
  'https://eu.{{a}}.shop.example/files/{{b}}/{{c}}/raw',
  'http://localhost:8080/{{a}}',
  'http://[::1]:9000/{{a}}/{{b}}#{{c}}',
  'https://api.example/pre{{a}}post/{{b}}',
] as const;

/** What a template renders with harmless values: the shape every rendering must keep. */
function shape(template: string): URL {
  return new URL(compileUrlTemplate(template).render({ a: 'x', b: 'x', c: 'x', d: 'x' }));
}

/** The template's literal path segments by index (`undefined` where a placeholder is). */
function literalSegments(template: string): (string | undefined)[] {
  const path = template.replace(/^[a-z]+:\/\/[^/]+/, '').split(/[?#]/)[0]!;
  return path.split('/').map((segment) => (segment.includes('{{') ? undefined : segment));
}

// Plain checks in the hot loop (10,000 runs): expect() per run would dominate the time.
function check(condition: boolean, what: string, text: string): void {
  if (!condition) throw new Error(`${what} changed: ${JSON.stringify(text)}`);
}

function wellFormed(value: string): boolean {
  try {
    encodeURIComponent(value);
    return true;
  } catch {
    return false; // a lone surrogate
  }
}

// RFC 9110 §5.5 field-value characters, judged one code point at a time (apart from core's regex):
// HTAB, SP, VCHAR and printable obs-text; C1 controls (U+0080–U+009F) are refused by Splice too.
function fieldValueChars(text: string): boolean {
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code === 0x09 || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff)) continue;
    return false;
  }
  return true;
}

// The text of refusals a template makes for known-unsafe values in each placeholder: its own
// prose, key names and template name. A crafted value that occurs in it (" value", say) cannot be
// told apart from the message's own words, so only values outside it are checked for echoes.
const UNSAFE_PROBES = ['\0', '..', '\uD800', 'a.b', '\r\n'];
const vocabularies = new Map<Template, string>();
function vocabulary(template: Template): string {
  let text = vocabularies.get(template);
  if (text === undefined) {
    text = '';
    for (const key of template.keys) {
      for (const probe of UNSAFE_PROBES) {
        try {
          template.render({ a: 'x', b: 'x', c: 'x', d: 'x', [key]: probe });
        } catch (error) {
          if (SpliceError.is(error)) text += `${error.message}\n${JSON.stringify(error.details)}\n`;
        }
      }
    }
    vocabularies.set(template, text);
  }
  return text;
}

function valueEchoed(error: SpliceError, value: string, template: Template): boolean {
  if (value.length < 6 || vocabulary(template).includes(value)) return false;
  return error.message.includes(value) || JSON.stringify(error.details).includes(value);
}

describe('compileUrlTemplate under crafted values', TIMEOUT, () => {
  it(`keeps scheme, host, port, userinfo and path shape, or refuses (${RUNS} runs)`, () => {
    let rendered = 0;
    let refused = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...URL_TEMPLATES),
        fc.record({ a: craftedValue(), b: craftedValue(), c: craftedValue(), d: craftedValue() }),
        (template, values) => {
          const compiled = compileUrlTemplate(template);
          const expected = shape(template);
          let text: string;
          try {
            text = compiled.render(values);
          } catch (error) {
            refused += 1;
            check(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE'), 'refusal code', String(error));
            for (const value of Object.values(values))
              check(
                !valueEchoed(error as SpliceError, value, compiled),
                'secrecy of the value',
                value,
              );
            return;
          }
          rendered += 1;
          const url = new URL(text);
          check(url.protocol === expected.protocol, 'scheme', text);
          check(url.port === expected.port, 'port', text);
          check(url.username === '' && url.password === '', 'userinfo', text);
          if (compiled.origin !== undefined) check(url.origin === compiled.origin, 'origin', text);
          else {
            // A host placeholder is exactly one DNS label: the other labels stay where they were.
            const labels = expected.hostname.split('.');
            const host = labels.map((l) => (l === 'x' ? values.a.toLowerCase() : l)).join('.');
            check(url.hostname === host, 'host', text);
          }
          // No traversal, no extra or lost segment, no new query parameter or fragment.
          const segments = url.pathname.split('/');
          check(segments.length === expected.pathname.split('/').length, 'segment count', text);
          literalSegments(template).forEach((literal, i) => {
            if (literal !== undefined) check(segments[i] === literal, `segment ${i}`, text);
          });
          check(
            [...url.searchParams.keys()].length === [...expected.searchParams.keys()].length,
            'query parameters',
            text,
          );
          check(text.split('#').length === template.split('#').length, 'fragment', text);
        },
      ),
      { numRuns: RUNS },
    );
    expect(rendered).toBeGreaterThan(RUNS / 10);
    expect(refused).toBeGreaterThan(RUNS / 10);
  });

  it(`renders a placeholder-only path segment that decodes to the value exactly (${RUNS} runs)`, () => {
    const template = compileUrlTemplate('https://api.example/v1/{{a}}/items');
    fc.assert(
      fc.property(craftedValue(), (a) => {
        let text: string;
        try {
          text = template.render({ a });
        } catch (error) {
          check(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE'), 'refusal code', String(error));
          // Only what no segment can be: "." / "..", or text that is not well-formed Unicode.
          check(a === '.' || a === '..' || !wellFormed(a), 'refusal reason', a);
          return;
        }
        const segments = new URL(text).pathname.split('/');
        check(segments.length === 4 && segments[3] === 'items', 'path', text);
        check(decodeURIComponent(segments[2]!) === a, 'segment value', text);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('origin placeholders under crafted values', TIMEOUT, () => {
  const PATTERNS = [
    'https://*.my.salesforce.com',
    'https://www.zohoapis.eu',
    'http://127.0.0.1:3000',
  ];
  // The allowed origins, judged on the parsed URL apart from the matcher under test.
  function allowedOrigin(url: URL): boolean {
    if (url.username !== '' || url.password !== '') return false;
    if (url.protocol === 'http:') return url.host === '127.0.0.1:3000';
    if (url.protocol !== 'https:' || url.port !== '') return false;
    const labels = url.hostname.split('.');
    const salesforce = labels.length === 4 && labels.slice(1).join('.') === 'my.salesforce.com';
    return salesforce || url.hostname === 'www.zohoapis.eu';
  }
  // Crafted values, and near-misses built around the allowed origins.
  const origin = fc.oneof(
    craftedValue(),
    fc
      .tuple(
        fc.constantFrom(...PATTERNS.map((p) => p.replace('*', 'acme')), 'https://evil.example'),
        craftedValue(),
        fc.constantFrom('prefix', 'suffix', 'both', 'none'),
      )
      .map(([base, crafted, where]) =>
        where === 'prefix'
          ? crafted + base
          : where === 'suffix'
            ? base + crafted
            : where === 'both'
              ? `${crafted}${base}${crafted}`
              : base,
      ),
  );

  it(`never makes a value outside the declared patterns an origin (${RUNS} runs)`, () => {
    const template = compileUrlTemplate('{{o}}/services/data/{{a}}?q={{b}}', 'endpoints[0].url', {
      origins: { o: compileOriginPatterns(PATTERNS) },
    });
    let rendered = 0;
    let refused = 0;
    fc.assert(
      fc.property(origin, craftedValue(), craftedValue(), (o, a, b) => {
        let text: string;
        try {
          text = template.render({ o, a, b });
        } catch (error) {
          check(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE'), 'refusal code', String(error));
          check(!valueEchoed(error as SpliceError, o, template), 'secrecy of the value', o);
          refused += 1;
          return;
        }
        rendered += 1;
        const url = new URL(text);
        check(allowedOrigin(url), 'origin', text);
        check(url.origin === new URL(o).origin, 'origin taken whole', text);
        check(url.pathname.split('/')[1] === 'services', 'path', text);
      }),
      { numRuns: RUNS },
    );
    expect(rendered).toBeGreaterThan(RUNS / 20);
    expect(refused).toBeGreaterThan(RUNS / 10);
  });
});

describe('compileTemplate (header) under crafted values', TIMEOUT, () => {
  it(`renders exactly one header line holding the value, or refuses (${RUNS} runs)`, () => {
    const template = compileTemplate('Bearer {{a}} tenant={{b}}', 'header', 'apply.headers.X');
    fc.assert(
      fc.property(craftedValue(), craftedValue(), (a, b) => {
        let value: string;
        try {
          value = template.render({ a, b });
        } catch (error) {
          check(SpliceError.is(error, 'TEMPLATE_UNSAFE_VALUE'), 'refusal code', String(error));
          check(!fieldValueChars(a + b), 'refusal reason', a + b);
          check(!valueEchoed(error as SpliceError, a, template), 'secrecy of the value', a);
          return;
        }
        check(value === `Bearer ${a} tenant=${b}`, 'rendering', value);
        // On the wire: "X: <value>\r\n" must read back as one field line with this value.
        const wire = `X: ${value}\r\n`;
        check(wire.split('\r\n').length === 2 && wire.split('\n').length === 2, 'lines', value);
        check(!value.includes('\0') && !value.includes('\r'), 'NUL or CR', value);
        check(fieldValueChars(value), 'field value characters', value);
      }),
      { numRuns: RUNS },
    );
  });
});
