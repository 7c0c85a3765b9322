import { type AuthContext, invalidAuthVariable } from '@splice/core';
import { requireValues } from '../../shared/requireValues.js';
import type { OAuth1SignatureMethod } from '../signing/OAuth1SignatureMethod.js';
import { checkOAuth1Value } from './checkOAuth1Value.js';
import type { OAuth1Settings } from './OAuth1Settings.js';

/**
 * Reads and checks the OAuth 1 variables of `ctx`: `consumer_key` and `consumer_secret` (one
 * `VARIABLE_MISSING` lists both when absent), `signature_method` and `realm` (`VARIABLE_INVALID`
 * naming the variable when malformed; a secret is never echoed).
 *
 * @example
 * ```ts
 * const { consumerKey, signatureMethod, realm } = readOAuth1Settings(ctx);
 * ```
 */
export function readOAuth1Settings(ctx: AuthContext): OAuth1Settings {
  const { consumer_key, consumer_secret } = requireValues(ctx, ['consumer_key', 'consumer_secret']);
  const read = (key: string, fallback: string): string => {
    const value = ctx.values[key] || fallback;
    const problem = checkOAuth1Value(key, value);
    if (problem !== undefined) throw invalidAuthVariable(ctx, key, problem);
    return value;
  };
  return {
    consumerKey: consumer_key,
    consumerSecret: consumer_secret,
    signatureMethod: read('signature_method', 'HMAC-SHA1') as OAuth1SignatureMethod,
    realm: read('realm', ''),
  };
}
