import type { OutgoingRequest } from '@splice/core';
import type { OAuth1Settings } from '../settings/OAuth1Settings.js';
import { createNonce } from './createNonce.js';
import { oauth1AuthorizationHeader } from './oauth1AuthorizationHeader.js';

/** Token (or temporary) credentials a request is signed with. */
export interface OAuth1Token {
  readonly token: string;
  readonly secret: string;
}

/**
 * The `Authorization` header of one request signed with `settings`' client credentials and
 * `token` (none for the temporary-credential request, RFC 5849 §2.1): a fresh nonce, the
 * timestamp from `now` (epoch milliseconds, the context's clock), `oauth_version="1.0"`, plus
 * `extra` protocol parameters (`oauth_callback`, `oauth_verifier`).
 *
 * @example
 * ```ts
 * const authorization = signOAuth1(request, settings, { token, secret }, ctx.now());
 * ```
 */
export function signOAuth1(
  request: OutgoingRequest,
  settings: OAuth1Settings,
  token: OAuth1Token | undefined,
  now: number,
  extra: Readonly<Record<string, string>> = {},
): string {
  const protocol: Record<string, string> = {
    oauth_consumer_key: settings.consumerKey,
    ...(token === undefined ? {} : { oauth_token: token.token }),
    oauth_signature_method: settings.signatureMethod,
    oauth_timestamp: String(Math.floor(now / 1000)),
    oauth_nonce: createNonce(),
    oauth_version: '1.0',
    ...extra,
  };
  return oauth1AuthorizationHeader(
    request,
    protocol,
    { consumerSecret: settings.consumerSecret, tokenSecret: token?.secret ?? '' },
    settings.realm,
  );
}
