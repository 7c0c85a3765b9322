// Scrubbing under truncation and encodings, and the cost of redaction on large untrusted input.
import { REDACTED, redactCredentials, safeExcerpt, scrub, scrubCut } from '@splice/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const RUNS = 400;
const TIMEOUT = { timeout: 120_000 };

// How a server may echo a secret it was sent.
const ENCODINGS: Record<string, (secret: string) => string> = {
  raw: (s) => s,
  'URL-encoded': (s) => encodeURIComponent(s),
  'form-encoded': (s) => new URLSearchParams([['', s]]).toString().slice(1),
  base64: (s) => Buffer.from(s).toString('base64'),
  base64url: (s) => Buffer.from(s).toString('base64url'),
  'JSON-escaped': (s) => JSON.stringify(s).slice(1, -1),
  'inside Basic': (s) => Buffer.from(`client-id:${s}`).toString('base64'),
};

// Secrets: token alphabets plus characters each encoding changes. Filler text uses none of the
// characters a secret's encoded head may start with, so a found head can only come from a secret.
const secretArb = fc.string({
  unit: fc.constantFrom(...'abcdefghijkLMNOPQ0123456789-._~+/= "\\%&é€'.split('')),
  minLength: 12,
  maxLength: 80,
});
const FILLER = fc.string({ unit: fc.constantFrom('!', '(', ')', '*', '|', '\n'), maxLength: 300 });

// The characters of an encoded secret that depend on the secret alone (for the Basic form, those
// after "client-id:", at byte offset 10).
function secretPart(encoding: string, secret: string, form: string): string {
  if (encoding !== 'inside Basic') return form;
  return form.slice(
    Math.ceil((10 * 8) / 6),
    Math.floor(((10 + Buffer.byteLength(secret)) * 8) / 6),
  );
}

// Every 6-character window of the secret part: none may survive, wherever the text is cut.
function windows(part: string): string[] {
  const out: string[] = [];
  for (let i = 0; i + 6 <= part.length; i++) out.push(part.slice(i, i + 6));
  return out;
}

describe('scrubCut: no part of a secret survives a cut', TIMEOUT, () => {
  it.each(Object.keys(ENCODINGS))(
    'leaves no part of a %s secret, at any cut position',
    (encoding) => {
      const encode = ENCODINGS[encoding]!;
      fc.assert(
        fc.property(secretArb, FILLER, FILLER, fc.nat(), (secret, before, after, cutSeed) => {
          const form = encode(secret);
          const body = `${before}${form}${after}${form}`;
          const limit = cutSeed % (body.length + 1);
          const { text, truncated } = scrubCut(body, [secret], limit);
          expect(text.length).toBeLessThanOrEqual(limit);
          if (scrub(body, [secret]).length > limit) expect(truncated).toBe(true);
          if (!truncated) expect(text).toBe(scrub(body, [secret]));
          const part = secretPart(encoding, secret, form);
          for (const piece of windows(part)) expect(text).not.toContain(piece);
          // A cut inside the first occurrence keeps no beginning of it, not even one character.
          const partStart = before.length + form.indexOf(part);
          const rest = text.slice(partStart);
          if (limit < partStart + part.length && rest !== '' && part.startsWith(rest)) {
            expect.fail(`the cut at ${limit} kept "${rest}"`);
          }
        }),
        { numRuns: RUNS },
      );
    },
  );

  it('cuts a token that straddles the limit without keeping its first characters', () => {
    const token = 'at_7f3a9c1e5b2d8f4a6c0e';
    const body = `${'x'.repeat(4090)}${token} trailing`;
    for (let limit = 4060; limit <= 4130; limit++) {
      const { text } = scrubCut(body, [token], limit);
      expect(text, `limit ${limit}`).not.toMatch(/xa(t(_[0-9a-f]*)?)?$/);
      expect(text).not.toContain('at_7');
    }
  });

  it('keeps a short text whole and says so', () => {
    expect(scrubCut('no secret here', ['sekret-1'], 100)).toEqual({
      text: 'no secret here',
      truncated: false,
    });
    expect(scrubCut('sent sekret-1', ['sekret-1'], 100)).toEqual({
      text: `sent ${REDACTED}`,
      truncated: false,
    });
  });
});

describe('safeExcerpt', () => {
  it('cuts first: a 32 KB description reads as a short excerpt without its secrets', () => {
    const secret = 'cs_4f9a8b7c6d5e4f3a2b1c';
    const text = `${'denied '.repeat(4000)}${secret}`;
    const out = safeExcerpt(text, [secret]);
    expect(out.length).toBeLessThanOrEqual(201);
    expect(out.endsWith('…')).toBe(true);
    expect(out).not.toContain('cs_4');
  });

  it('drops a token-like run at the cut, whose rest was not read', () => {
    // The 400-character run shrinks to the marker, so the cut of what was read shows up early.
    const token = 'q9W2e8R4t6Y1u3I5o7P0aSdFgHjKl'.repeat(2);
    const out = safeExcerpt(`${'A1'.repeat(200)}${' '.repeat(41)}${token}`, []);
    expect(out).toBe(`${REDACTED}${' '.repeat(41)}…`);
  });
});

// Adversarial shapes for each scan: runs of name characters with many word boundaries, names
// without values, unterminated quotes, schemes without credentials, secrets' partial repeats.
const ADVERSARIAL: Record<string, (n: number) => string> = {
  'a-a-a-': (n) => 'a-'.repeat(n / 2),
  tokentoken: (n) => 'token'.repeat(n / 5),
  'token-token-': (n) => 'token-'.repeat(n / 6),
  '"token":"…\\': (n) => `${'"token":"'.repeat(n / 9)}\\`,
  'Bearer Bearer': (n) => 'Bearer '.repeat(n / 7),
  opaque: (n) => 'aZ9'.repeat(n / 3),
  'partial secrets': (n) => 'sekret-'.repeat(n / 7),
  '<<<<': (n) => '<'.repeat(n),
};

// A regression guard only, never a benchmark: a linear scan of 1 MiB takes milliseconds, the
// quadratic one it replaced took over 20 minutes. The bound is 2 µs per byte (2 s for 1 MiB),
// a hundred times the linear cost on a busy 2-core machine.
const MICROSECONDS_PER_BYTE = 2;
const SIZE = 1 << 20;

describe('redaction of large untrusted input is linear', TIMEOUT, () => {
  it.each(Object.keys(ADVERSARIAL))('redacts 1 MiB of %s within the per-byte bound', (shape) => {
    const text = ADVERSARIAL[shape]!(SIZE);
    const started = process.hrtime.bigint();
    redactCredentials(text);
    scrub(text, ['sekret-0123456789', 'token-token-x']);
    safeExcerpt(text, ['sekret-0123456789']);
    const micros = Number(process.hrtime.bigint() - started) / 1000;
    expect(micros / text.length).toBeLessThan(MICROSECONDS_PER_BYTE);
  });
});

describe('redaction of random large input', TIMEOUT, () => {
  // Pieces that open every scan (names, separators, quotes, escapes, schemes, token runs).
  const piece = fc.constantFrom(
    'token',
    'access_token',
    '"',
    "'",
    ':',
    '=',
    '\\',
    'Bearer ',
    'a',
    '-',
    ' ',
    'aZ9',
    '<',
    'sekret-',
  );
  const large = fc.array(piece, { minLength: 2000, maxLength: 12_000 }).map((p) => p.join(''));

  it('stays within the per-byte bound over many random inputs, and hides every sent secret', () => {
    let bytes = 0;
    let micros = 0;
    fc.assert(
      fc.property(large, (text) => {
        const secret = 'sekret-0123456789';
        const withSecret = `${text}${secret}${text}`;
        const started = process.hrtime.bigint();
        const redacted = redactCredentials(withSecret);
        const scrubbed = scrub(withSecret, [secret]);
        const excerpt = safeExcerpt(withSecret, [secret], { maxLength: 4096 });
        micros += Number(process.hrtime.bigint() - started) / 1000;
        bytes += withSecret.length;
        expect(scrubbed).not.toContain(secret);
        expect(excerpt).not.toContain('sekret-0');
        expect(redacted.length).toBeGreaterThan(0);
      }),
      { numRuns: 60 },
    );
    expect(micros / bytes).toBeLessThan(MICROSECONDS_PER_BYTE);
  });
});
