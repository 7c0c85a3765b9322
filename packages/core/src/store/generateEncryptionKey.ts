import { randomBytes } from 'node:crypto';

/**
 * Makes a new random 32-byte key for a store's `encryption.keys`, as base64 text to put in a
 * secret manager or environment variable.
 *
 * @example
 * ```ts
 * console.log(generateEncryptionKey()); // e.g. "q3V0…=" — store it as SPLICE_STORE_KEY
 * ```
 */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}
