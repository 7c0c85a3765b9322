import type { OutgoingRequest } from '@splice/core';
import { computeSignature } from './computeSignature.js';
import type { OAuth1SignatureMethod } from './OAuth1SignatureMethod.js';
import { percentEncode } from './percentEncode.js';
import { signatureBaseString } from './signatureBaseString.js';

/** The secrets a request is signed with. */
export interface OAuth1Secrets {
  readonly consumerSecret: string;
  /** The token credentials' (or temporary credentials') secret; `''` when there is no token. */
  readonly tokenSecret: string;
}

/**
 * Signs `request` and returns its `Authorization` header value (RFC 5849 §3.5.1): `OAuth`, the
 * `realm` when given (RFC 2617 quoted string; not part of the signature), the protocol
 * parameters in the given order and `oauth_signature`, names and values encoded per §3.6. The
 * signature method is `protocol.oauth_signature_method`. The caller chooses nonce and timestamp
 * (§3.3), fresh for every request.
 *
 * @example
 * ```ts
 * oauth1AuthorizationHeader(request, { oauth_consumer_key: key, oauth_token: token,
 *   oauth_signature_method: 'HMAC-SHA256', oauth_timestamp: '1718000000',
 *   oauth_nonce: createNonce(), oauth_version: '1.0' }, { consumerSecret, tokenSecret }, '1234567');
 * // 'OAuth realm="1234567", oauth_consumer_key="…", …, oauth_signature="…"'
 * ```
 */
export function oauth1AuthorizationHeader(
  request: OutgoingRequest,
  protocol: Readonly<Record<string, string>>,
  secrets: OAuth1Secrets,
  realm?: string,
): string {
  const signature = computeSignature(
    protocol['oauth_signature_method'] as OAuth1SignatureMethod,
    signatureBaseString(request, protocol),
    secrets.consumerSecret,
    secrets.tokenSecret,
  );
  const parts = realm === undefined || realm === '' ? [] : [`realm="${realm}"`];
  for (const [name, value] of Object.entries({ ...protocol, oauth_signature: signature }))
    parts.push(`${percentEncode(name)}="${percentEncode(value)}"`);
  return `OAuth ${parts.join(', ')}`;
}
