import type { OutgoingRequest } from '@splice/core';
import { baseStringUri } from './baseStringUri.js';
import { normalizeParameters } from './normalizeParameters.js';
import { percentEncode } from './percentEncode.js';

function isFormBody(request: OutgoingRequest): boolean {
  const type = request.headers['content-type'] ?? '';
  return type.split(';', 1)[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}

/**
 * The signature base string of RFC 5849 §3.4.1.1 for `request` signed with the protocol
 * parameters `protocol` (`oauth_consumer_key`, `oauth_token`, `oauth_nonce`...): the method in
 * upper case, the base string URI (§3.4.1.2) and the normalized parameters (§3.4.1.3.2), each
 * encoded (§3.6) and joined by `&`. The parameters are collected from every source §3.4.1.3.1
 * names: the URL's query and a form body (`application/x-www-form-urlencoded`, single-part),
 * both decoded as forms (`+` is a space), plus `protocol` without `oauth_signature` and `realm`.
 * A JSON or binary body is not covered (the RFC does not sign it).
 *
 * @example
 * ```ts
 * signatureBaseString({ method: 'GET', url: 'http://photos.example.net/photos?size=original',
 *   headers: {}, body: undefined }, { oauth_consumer_key: 'dpf43f3p2l4k3l03', ... });
 * // 'GET&http%3A%2F%2Fphotos.example.net%2Fphotos&oauth_consumer_key%3D...%26size%3Doriginal'
 * ```
 */
export function signatureBaseString(
  request: OutgoingRequest,
  protocol: Readonly<Record<string, string>>,
): string {
  const parameters: (readonly [string, string])[] = [];
  const query = request.url.indexOf('?');
  if (query !== -1) {
    const end = request.url.indexOf('#', query);
    const text = request.url.slice(query + 1, end === -1 ? undefined : end);
    for (const pair of new URLSearchParams(text)) parameters.push(pair);
  }
  for (const [name, value] of Object.entries(protocol)) {
    if (name !== 'oauth_signature' && name !== 'realm') parameters.push([name, value]);
  }
  if (request.body !== undefined && isFormBody(request)) {
    const text =
      typeof request.body === 'string' ? request.body : Buffer.from(request.body).toString('utf8');
    for (const pair of new URLSearchParams(text)) parameters.push(pair);
  }
  return [
    percentEncode(request.method.toUpperCase()),
    percentEncode(baseStringUri(request.url)),
    percentEncode(normalizeParameters(parameters)),
  ].join('&');
}
