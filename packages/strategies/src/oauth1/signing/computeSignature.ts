import { createHmac } from 'node:crypto';
import type { OAuth1SignatureMethod } from './OAuth1SignatureMethod.js';
import { percentEncode } from './percentEncode.js';

/**
 * The `oauth_signature` value (RFC 5849 §3.4.2): the HMAC of the signature base string keyed with
 * the encoded client secret, `&` (always, even when a secret is empty) and the encoded token
 * secret, Base64-encoded. HMAC-SHA256 is the same with SHA-256.
 *
 * @example
 * ```ts
 * computeSignature('HMAC-SHA1', baseString, 'kd94hf93k423kf44', 'pfkkdhi9sl3r4s00');
 * // 'MdpQcU8iPSUjWoN/UDMsK2sui9I=' (RFC 5849 §1.2)
 * ```
 */
export function computeSignature(
  method: OAuth1SignatureMethod,
  baseString: string,
  consumerSecret: string,
  tokenSecret: string,
): string {
  const key = `${percentEncode(consumerSecret)}&${percentEncode(tokenSecret)}`;
  return createHmac(method === 'HMAC-SHA256' ? 'sha256' : 'sha1', key)
    .update(baseString)
    .digest('base64');
}
