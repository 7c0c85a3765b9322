const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/**
 * The base string URI of RFC 5849 §3.4.1.2: scheme and host in lower case, the port only when it
 * is not the scheme's default (80 for http, 443 for https), the path as sent (`/` when empty), no
 * query and no fragment. The path is taken from `url` as written — the bytes on the wire — not
 * re-encoded by a URL parser.
 *
 * @example
 * ```ts
 * baseStringUri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123'); // 'http://example.com/r%20v/X'
 * baseStringUri('https://www.example.net:8080/?q=1'); // 'https://www.example.net:8080/'
 * ```
 */
export function baseStringUri(url: string): string {
  const parsed = new URL(url);
  const rest = url.replace(AUTHORITY, '');
  const path = rest.split(/[?#]/, 1)[0] ?? '';
  // URL lower-cases scheme and host and drops a default port.
  const port = parsed.port === '' ? '' : `:${parsed.port}`;
  return `${parsed.protocol}//${parsed.hostname}${port}${path === '' ? '/' : path}`;
}
