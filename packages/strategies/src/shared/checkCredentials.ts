import {
  type AuthContext,
  type Credentials,
  type OutgoingRequest,
  SpliceError,
} from '@splice/core';
import type { RetryPolicy } from '@splice/http';
import { sendAuthRequest } from './sendAuthRequest.js';

/** How {@link checkCredentials} sends its request. */
export interface CheckOptions {
  readonly retry: RetryPolicy;
  /** Headers computed from the request about to go (an OAuth 1 signature), per attempt. */
  readonly sign?: (request: OutgoingRequest) => Readonly<Record<string, string>>;
  /** Names the credential in messages: `token`, `username and password`... */
  readonly what: string;
}

/**
 * Checks new credentials before the instance is saved, as the platform does: when the method has
 * a `urls.test` URL, one `GET` to it carrying the credential exactly as endpoint requests will —
 * the method's header tab, then its `apply` (or the strategy's), rendered with the values and
 * `credentials` from the templates the runtime compiled once, plus `sign` when given. A 2xx
 * answer passes; 401 or 403 is `CREDENTIALS_INVALID`; any other status is `CREDENTIALS_CHECK_FAILED`
 * (the credential could not be judged). Without `urls.test` nothing is sent. Messages name the
 * test URL by origin and path only (its query may carry the credential) and never quote the body.
 *
 * @example
 * ```ts
 * await checkCredentials(ctx, { values: { token }, obtainedAt: ctx.now() }, { retry, what: 'token' });
 * ```
 */
export async function checkCredentials(
  ctx: AuthContext,
  credentials: Credentials,
  options: CheckOptions,
): Promise<void> {
  const template = ctx.templates.urls['test'];
  if (template === undefined) return;
  const values = { ...ctx.values, ...credentials.values };
  const url = new URL(template.render(values));
  const where = `${url.origin}${url.pathname}`;
  const { request, apply } = ctx.templates;
  for (const [name, part] of apply.query) url.searchParams.set(name, part.render(values));
  const headers: Record<string, string> = {};
  for (const [name, part] of request.headers) headers[name] = part.render(values);
  for (const [name, part] of apply.headers) headers[name] = part.render(values);
  const details = { connectorId: ctx.connector.id, authMethodId: ctx.method.id };
  const response = await sendAuthRequest(ctx, {
    method: 'GET',
    url: url.href,
    headers,
    ...(options.sign === undefined ? {} : { sign: options.sign }),
    failure: 'ENDPOINT_REQUEST_FAILED',
    subject: `The credential check at ${where}`,
    idempotent: true,
    retry: options.retry,
    details,
  });
  const { status } = response;
  if (status >= 200 && status < 300) return;
  if (status === 401 || status === 403) {
    throw new SpliceError(
      'CREDENTIALS_INVALID',
      `The API refused the ${options.what} of auth method "${ctx.method.id}": HTTP ${status} from its test URL ${where}. Check the ${options.what} and that it has access to this account; nothing was saved.`,
      { details: { ...details, status } },
    );
  }
  throw new SpliceError(
    'CREDENTIALS_CHECK_FAILED',
    `The test URL ${where} of auth method "${ctx.method.id}" answered HTTP ${status}, so the ${options.what} could not be checked; nothing was saved. Check the URL (urls.test) or try again later.`,
    { details: { ...details, status } },
  );
}
