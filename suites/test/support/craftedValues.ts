import fc from 'fast-check';

/** Pieces an attacker combines to move a request: delimiters, encodings, origins, line breaks. */
export const CRAFTED_PIECES: readonly string[] = [
  '/',
  '\\',
  '?',
  '#',
  '@',
  ':',
  '&',
  '=',
  '%',
  '%2F',
  '%2e',
  '%2e%2e',
  '.',
  '..',
  '../',
  '..\\',
  '/../../',
  '\r\n',
  '\n',
  '\r',
  '\0',
  '\t',
  ' ',
  '\r\nX-Injected: 1',
  '\nHost: evil.example',
  'evil.example',
  'evil',
  'xn--',
  'xn--zz',
  '0x',
  '09',
  ':9999',
  'https://evil.example',
  '//evil.example',
  'user:pass@',
  '[::1]',
  '\u2028',
  '\uFF0F',
  '\uFF0E',
  'é',
  '😀',
  '\uD800',
];

/**
 * Strings built for injection: joined crafted pieces most of the time, else arbitrary text (any
 * code point, lone surrogates included).
 *
 * @example
 * ```ts
 * fc.assert(fc.property(craftedValue(), (value) => { ... }), { numRuns: 10_000 });
 * ```
 */
export function craftedValue(extra: readonly string[] = []): fc.Arbitrary<string> {
  const pieces = [...CRAFTED_PIECES, ...extra];
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.array(fc.constantFrom(...pieces), { maxLength: 5 }).map((p) => p.join('')),
    },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9-]{1,12}$/) },
  );
}
