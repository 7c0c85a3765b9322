// Names that decide where a request goes or how its bytes are framed, not what it says. Host would
// send the credential to another virtual host behind a shared front end (RFC 9110 §7.2); the
// framing and hop-by-hop fields (RFC 9112 §6, RFC 9110 §7.6.1) belong to the HTTP client, and a
// wrong Content-Length or Transfer-Encoding smuggles a second request onto a kept-alive connection.
const RESERVED: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
]);

/**
 * Whether a header name is reserved for the HTTP client: `Host`, the framing and hop-by-hop
 * headers (`Content-Length`, `Transfer-Encoding`, `Connection`, `Keep-Alive`, `Upgrade`, `TE`,
 * `Trailer`) and every `Proxy-*` header. Neither a definition nor a call may set one.
 * Case-insensitive.
 *
 * @example
 * ```ts
 * isReservedHeader('Host'); // true
 * isReservedHeader('proxy-authorization'); // true
 * isReservedHeader('X-Api-Version'); // false
 * ```
 */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED.has(lower) || lower.startsWith('proxy-');
}
