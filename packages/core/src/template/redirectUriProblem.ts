import { isLoopbackHost } from './isLoopbackHost.js';

/**
 * The problem with a redirect URI (a callback URL: the runtime's `callbackUrl` option or an
 * instance's `callback_url` variable), or `undefined` when it is fine: it must be an absolute
 * `https:` URL, `http:` only on a loopback host (RFC 8252 §7.3; RFC 6749 §3.1.2.1 requires TLS
 * for a redirect URI the authorization code travels to, RFC 5849 §2.1 an absolute URI).
 *
 * @example
 * ```ts
 * redirectUriProblem('http://flows.example/cb');
 * // 'must be an absolute https: URL (http: only for a loopback host such as 127.0.0.1) …'
 * redirectUriProblem('http://127.0.0.1:8976/callback'); // undefined
 * ```
 */
export function redirectUriProblem(value: string): string | undefined {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  if (
    url !== undefined &&
    (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))
  ) {
    return undefined;
  }
  return 'must be an absolute https: URL (http: only for a loopback host such as 127.0.0.1), the redirect URI registered at the provider: codes and tokens sent to it must not travel in the clear';
}
