import type { AuthContext, OutgoingRequest } from '@splice/core';
import {
  type Exchange,
  type HttpResponse,
  type RetryPolicy,
  sendWithDeadline,
  undiciGlobalDispatcher,
} from '@splice/http';
import type { Dispatcher } from 'undici';

/**
 * The largest answer a strategy's own request reads, in bytes (64 KiB): credential checks and
 * OAuth 1 credential responses are short; a bigger answer is refused unread.
 *
 * @example
 * ```ts
 * AUTH_RESPONSE_MAX_BYTES; // 65536
 * ```
 */
export const AUTH_RESPONSE_MAX_BYTES = 64 * 1024;

/** One request a strategy sends itself (not an endpoint call). */
export interface AuthRequest {
  readonly method: 'GET' | 'POST';
  /** Absolute URL, query included. */
  readonly url: string;
  /** Header names lower-case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * Headers computed per attempt from the request about to go (an OAuth 1 signature): every
   * attempt, retries included, is signed afresh.
   */
  readonly sign?: (request: OutgoingRequest) => Readonly<Record<string, string>>;
  /** The error code of network failures and oversized answers. */
  readonly failure: Exchange['failure'];
  /** Names the request in messages, e.g. `The credential check at https://api.example/me`. */
  readonly subject: string;
  /** Safe to repeat when the server may have seen it (RFC 9110 §9.2.2). */
  readonly idempotent: boolean;
  readonly retry: RetryPolicy;
  /** Secret-free ids added to every error's details. */
  readonly details: Readonly<Record<string, string>>;
}

/**
 * Sends a strategy's own request through the HTTP edge — the context's dispatcher, the one retry
 * rule (network failures, 429 and 5xx; `Retry-After`), redirects never followed, the answer read
 * up to {@link AUTH_RESPONSE_MAX_BYTES} — within the method's `timeoutSeconds` for the whole
 * operation, retries included, and returns the answer unjudged (any status).
 *
 * Errors: `TIMEOUT` when the time runs out; `request.failure` when the network keeps failing or
 * the answer is too large; both with `details.attempts`. A `TypeError` with code `INVALID_OPTION`,
 * nothing sent, when the dispatcher is an undici before 7 (`sendWithDeadline`).
 *
 * @example
 * ```ts
 * const response = await sendAuthRequest(ctx, { method: 'GET', url, headers, failure:
 *   'ENDPOINT_REQUEST_FAILED', subject: 'The credential check', idempotent: true, retry, details });
 * ```
 */
export async function sendAuthRequest(
  ctx: AuthContext,
  request: AuthRequest,
): Promise<HttpResponse> {
  const url = new URL(request.url);
  const { response } = await sendWithDeadline({
    dispatcher: (ctx.dispatcher as Dispatcher | undefined) ?? undiciGlobalDispatcher(),
    request: () => {
      const headers: Record<string, string> = { ...request.headers };
      if (request.sign !== undefined) {
        const outgoing: OutgoingRequest = {
          method: request.method,
          url: request.url,
          headers,
          body: request.body,
        };
        for (const [name, value] of Object.entries(request.sign(outgoing)))
          headers[name.toLowerCase()] = value;
      }
      return {
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: request.body }),
      };
    },
    exchange: {
      failure: request.failure,
      subject: request.subject,
      maxBytes: AUTH_RESPONSE_MAX_BYTES,
      details: request.details,
    },
    retry: request.retry,
    idempotent: request.idempotent,
    timeoutMs: ctx.method.timeoutSeconds * 1000,
    now: ctx.now,
    onRetry: ({ attempt, status, errorCode }) =>
      ctx.logger.warn(`splice: ${request.subject} failed, retrying`, {
        ...request.details,
        attempt,
        reason: status === undefined ? String(errorCode) : `status ${status}`,
      }),
  });
  return response;
}
