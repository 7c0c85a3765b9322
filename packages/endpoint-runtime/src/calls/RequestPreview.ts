/**
 * What `runtime.previewRequest` returns: the endpoint request as it would go on the wire, rendered
 * by the same code as a call, with every secret masked as `"[redacted]"`.
 *
 * @example
 * ```ts
 * const { method, url, headers } = await runtime.previewRequest(instance, 'list-orders');
 * // GET https://api.acme.example/northwind/orders?status=open { authorization: 'Bearer [redacted]' }
 * ```
 */
export interface RequestPreview {
  /** The HTTP method, upper-case. */
  readonly method: string;
  /** The absolute URL, query included. */
  readonly url: string;
  /** Header names lower-case; the host and framing headers the HTTP client adds are not listed. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text; absent when none would be sent. Bytes read `[<n> bytes]`. */
  readonly body?: string;
  /**
   * True when the strategy signs each request as it is sent (OAuth 1, HMAC): its signature
   * headers are computed per attempt and are not part of the preview.
   */
  readonly signed: boolean;
}
