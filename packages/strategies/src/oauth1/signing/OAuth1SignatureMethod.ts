/**
 * The signature methods Splice signs with: HMAC-SHA1 (RFC 5849 §3.4.2) and HMAC-SHA256 (the same
 * construction with SHA-256, which NetSuite and most current providers require).
 *
 * @example
 * ```ts
 * const method: OAuth1SignatureMethod = 'HMAC-SHA256';
 * ```
 */
export type OAuth1SignatureMethod = 'HMAC-SHA1' | 'HMAC-SHA256';

/**
 * Every {@link OAuth1SignatureMethod}, for checks and forms.
 *
 * @example
 * ```ts
 * OAUTH1_SIGNATURE_METHODS.includes('HMAC-SHA1'); // true
 * ```
 */
export const OAUTH1_SIGNATURE_METHODS: readonly OAuth1SignatureMethod[] = Object.freeze([
  'HMAC-SHA1',
  'HMAC-SHA256',
]);
