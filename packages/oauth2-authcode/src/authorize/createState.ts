import { randomBytes } from 'node:crypto';

/**
 * A fresh OAuth `state` of exactly `length` base64url characters from `crypto.randomBytes`
 * (RFC 6749 §10.12: unguessable, bound to this authorization). 32 characters carry 192 bits.
 *
 * @example
 * ```ts
 * createState(32); // 'q3N0...' (32 characters)
 * ```
 */
export function createState(length: number): string {
  return randomBytes(Math.ceil((length * 3) / 4) + 1)
    .toString('base64url')
    .slice(0, length);
}
