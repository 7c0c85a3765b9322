/**
 * RFC 5849 §3.6 percent-encoding, used for the signature base string and the `Authorization`
 * header: UTF-8, every octet but the unreserved `ALPHA / DIGIT / "-" / "." / "_" / "~"` as `%XX`
 * with upper-case hex (spaces are `%20`, never `+`). `encodeURIComponent` leaves `!'()*` alone,
 * which the RFC encodes. A lone surrogate (not valid UTF-16) becomes U+FFFD instead of throwing.
 *
 * @example
 * ```ts
 * percentEncode('r b&c@'); // 'r%20b%26c%40'
 * ```
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value.replace(/[\uD800-\uDFFF]/gu, '\uFFFD')).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
