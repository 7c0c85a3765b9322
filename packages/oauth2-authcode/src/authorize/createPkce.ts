import { createHash, randomBytes } from 'node:crypto';
import type { PkceMethod } from '../settings/OAuthSettings.js';

/** A PKCE verifier and the challenge sent to the authorise URL. */
export interface Pkce {
  /** 43 base64url characters (256 bits), within RFC 7636 §4.1's 43–128. */
  readonly verifier: string;
  readonly challenge: string;
  readonly method: 'S256' | 'plain';
}

/**
 * Makes a PKCE pair for `method` (RFC 7636 §4.1–4.2), or `undefined` for `none`. `S256` is the
 * default and the only method a server must support; `plain` exists for old providers.
 *
 * @example
 * ```ts
 * const pkce = createPkce('S256'); // { verifier, challenge: BASE64URL(SHA256(verifier)), method }
 * ```
 */
export function createPkce(method: PkceMethod): Pkce | undefined {
  if (method === 'none') return undefined;
  const verifier = randomBytes(32).toString('base64url');
  const challenge =
    method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return { verifier, challenge, method };
}
