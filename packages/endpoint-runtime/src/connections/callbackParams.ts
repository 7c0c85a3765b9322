import { invalidArgument } from '@splice/core';

/**
 * What `completeAuthorization` accepts: the callback URL, its query string, or its parameters.
 *
 * @example
 * ```ts
 * await runtime.completeAuthorization(req.query); // or req.url, a URL, URLSearchParams
 * ```
 */
export type CallbackInput =
  | string
  | URL
  | URLSearchParams
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Reads the query parameters of an OAuth callback given as a full URL (string or `URL`), a query
 * string (with or without `?`), `URLSearchParams`, or a parsed query object (Express `req.query`).
 *
 * @example
 * ```ts
 * callbackParams('https://app.example/cb?code=c&state=s').get('state'); // 's'
 * callbackParams({ code: 'c', state: 's' }).get('code'); // 'c'
 * ```
 */
export function callbackParams(input: CallbackInput): URLSearchParams {
  if (input instanceof URLSearchParams) return new URLSearchParams(input);
  if (input instanceof URL) return new URLSearchParams(input.searchParams);
  if (typeof input === 'string') {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input) && URL.canParse(input))
      return new URL(input).searchParams;
    return new URLSearchParams(input.startsWith('?') ? input.slice(1) : input);
  }
  if (input === null || typeof input !== 'object') {
    throw invalidArgument(
      '"callback" of completeAuthorization must be the callback URL, its query string, URLSearchParams or a query object',
    );
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string') params.append(key, value);
    else if (Array.isArray(value))
      for (const item of value) if (typeof item === 'string') params.append(key, item);
  }
  return params;
}
