import { randomBytes } from 'node:crypto';

/**
 * A fresh `state` for a pending OAuth 1 authorization: 32 base64url characters (192 bits) from
 * `crypto.randomBytes`. It travels in the `oauth_callback` URL and comes back on the callback.
 *
 * @example
 * ```ts
 * createState(); // 'q3N0…' (32 characters)
 * ```
 */
export function createState(): string {
  return randomBytes(24).toString('base64url');
}
