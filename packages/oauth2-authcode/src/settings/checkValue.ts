import { redirectUriProblem } from '@splice/core';
import { PKCE_METHODS, TOKEN_ENDPOINT_AUTH_METHODS } from './OAuthSettings.js';
import { parseStatuses } from './parseStatuses.js';

/**
 * The problem with an enumerated or numeric variable value or a callback URL, or undefined when
 * it is fine; shared
 * by `readSettings` and `validateMethod` so both say the same.
 *
 * @example
 * ```ts
 * checkValue('pkce', 'S512'); // 'must be one of S256, plain, none, got "S512".'
 * ```
 */
export function checkValue(key: string, value: string): string | undefined {
  switch (key) {
    case 'state_length': {
      const n = Number(value);
      return /^\d+$/.test(value.trim()) && n >= 16 && n <= 128
        ? undefined
        : `must be a whole number from 16 to 128 (characters of state), got "${value}". Use 32 unless the provider limits state length.`;
    }
    case 'pkce':
      return (PKCE_METHODS as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${PKCE_METHODS.join(', ')}, got "${value}".`;
    case 'token_endpoint_auth_method':
      return (TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(value)
        ? undefined
        : `must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}, got "${value}".`;
    case 'expired_token_statuses':
      return parseStatuses(value) === undefined
        ? `must be a list of HTTP status codes such as "401,403", got "${value}".`
        : undefined;
    case 'callback_url':
      return redirectUriProblem(value);
    default:
      return undefined;
  }
}
