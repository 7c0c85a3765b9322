import { redirectUriProblem } from '@splice/core';
import { OAUTH1_SIGNATURE_METHODS } from '../signing/OAuth1SignatureMethod.js';

/**
 * The problem with an OAuth 1 variable's value, or undefined when it is fine; shared by the
 * settings reader and `validateMethod`, so both say the same.
 *
 * @example
 * ```ts
 * checkOAuth1Value('signature_method', 'RSA-SHA1'); // 'must be one of HMAC-SHA1, HMAC-SHA256, got "RSA-SHA1".'
 * ```
 */
export function checkOAuth1Value(key: string, value: string): string | undefined {
  switch (key) {
    case 'signature_method':
      return (OAUTH1_SIGNATURE_METHODS as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${OAUTH1_SIGNATURE_METHODS.join(', ')}, got "${value}".`;
    case 'realm':
      // Sent as an RFC 2617 quoted string in the Authorization header.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
      return /["\\\u0000-\u001f\u007f]/.test(value)
        ? 'must not contain quotes, backslashes or control characters.'
        : undefined;
    case 'callback_url':
      return redirectUriProblem(value);
    default:
      return undefined;
  }
}
