import { randomBytes } from 'node:crypto';

/**
 * A fresh `oauth_nonce` (RFC 5849 §3.3): 128 bits from `crypto.randomBytes` as 32 hex
 * characters — alphanumeric, which every provider accepts (NetSuite allows only that).
 *
 * @example
 * ```ts
 * createNonce(); // '9f0c2b…' (32 characters)
 * ```
 */
export function createNonce(): string {
  return randomBytes(16).toString('hex');
}
