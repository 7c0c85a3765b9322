/**
 * Response headers as undici gives them: lower-case names.
 *
 * @example
 * ```ts
 * const retryAfter = response.headers['retry-after'];
 * ```
 */
export type ResponseHeaders = Readonly<Record<string, string | string[] | undefined>>;

/**
 * An HTTP answer with its body read whole (never beyond the caller's bound), any status.
 *
 * @example
 * ```ts
 * const { status, headers, body } = await sendRequest(agent, request, exchange);
 * ```
 */
export interface HttpResponse {
  readonly status: number;
  readonly headers: ResponseHeaders;
  /** The body as UTF-8 text. */
  readonly body: string;
}
