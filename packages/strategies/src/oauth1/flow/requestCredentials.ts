import { type AuthContext, SpliceError, safeExcerpt } from '@splice/core';
import type { RetryPolicy } from '@splice/http';

import { sendAuthRequest } from '../../shared/sendAuthRequest.js';
import type { OAuth1Settings } from '../settings/OAuth1Settings.js';
import { type OAuth1Token, signOAuth1 } from '../signing/signOAuth1.js';

/** One of the two credential requests of the redirect flow (RFC 5849 §2.1, §2.3). */
export interface CredentialRequest {
  /** `temporary` (§2.1) or `token` (§2.3): names the step in messages and errors. */
  readonly step: 'temporary' | 'token';
  readonly url: string;
  /** The temporary credentials for the token request; none for the temporary one. */
  readonly token: OAuth1Token | undefined;
  /** `oauth_callback` (§2.1) or `oauth_verifier` (§2.3). */
  readonly protocol: Readonly<Record<string, string>>;
  readonly retry: RetryPolicy;
  /** Values to scrub from any provider text quoted (verifier, temporary secret...). */
  readonly secrets: readonly string[];
}

/** The credentials a credential request answered, and the rest of the answer's fields. */
export interface CredentialResponse {
  readonly token: string;
  readonly secret: string;
  readonly fields: URLSearchParams;
}

function stringify(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'object' && value !== null
      ? JSON.stringify(value)
      : String(value);
}

/**
 * Sends a signed credential request: a POST with the protocol parameters in the `Authorization`
 * header (§3.5.1), the method's header tab, and its body tab as a form body that the signature
 * covers (§3.4.1.3), each with the method's `tokenRequest` parts laid over it. Every attempt is signed afresh (a retry never reuses a nonce). The answer
 * must be a 2xx form-encoded body (§2.1, §2.3) with `oauth_token` and `oauth_token_secret`.
 *
 * Errors: `TOKEN_REQUEST_FAILED` for any other status (`details.status`, and the provider's
 * `oauth_problem` when it sent one — OAuth Problem Reporting), network failures after retries;
 * `TOKEN_RESPONSE_INVALID` naming the missing field; `TIMEOUT`. No secret is ever quoted.
 *
 * @example
 * ```ts
 * const temporary = await requestCredentials(ctx, settings, { step: 'temporary', url,
 *   token: undefined, protocol: { oauth_callback: callback }, retry, secrets: [] });
 * ```
 */
export async function requestCredentials(
  ctx: AuthContext,
  settings: OAuth1Settings,
  request: CredentialRequest,
): Promise<CredentialResponse> {
  const { templates, values } = ctx;
  const headers: Record<string, string> = { accept: 'application/x-www-form-urlencoded' };
  for (const [name, part] of templates.request.headers) headers[name] = part.render(values);
  // The method's tokenRequest parts: on credential requests only, over the tabs.
  for (const [name, part] of templates.tokenRequest.headers) headers[name] = part.render(values);
  const tabs = { ...templates.request.body?.(values), ...templates.tokenRequest.body?.(values) };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(tabs)) form.append(name, stringify(value));
  const body = form.toString();
  if (body !== '') headers['content-type'] = 'application/x-www-form-urlencoded';
  const url = new URL(request.url);
  const where = `${url.origin}${url.pathname}`;
  const subject = `The OAuth 1 ${request.step === 'temporary' ? 'temporary credential' : 'token'} request to ${where}`;
  const details = {
    connectorId: ctx.connector.id,
    authMethodId: ctx.method.id,
    step: request.step,
  };
  const response = await sendAuthRequest(ctx, {
    method: 'POST',
    url: request.url,
    headers,
    ...(body === '' ? {} : { body }),
    sign: (outgoing) => ({
      authorization: signOAuth1(outgoing, settings, request.token, ctx.now(), request.protocol),
    }),
    failure: 'TOKEN_REQUEST_FAILED',
    subject,
    // A repeated credential request fails at worst (a used verifier): safe to retry.
    idempotent: true,
    retry: request.retry,
    details,
  });
  const fields = new URLSearchParams(response.body);
  const secrets = [
    settings.consumerSecret,
    ...(request.token === undefined ? [] : [request.token.secret]),
    ...request.secrets,
  ];
  if (response.status < 200 || response.status >= 300) {
    const problem = fields.get('oauth_problem');
    const advice = fields.get('oauth_problem_advice');
    const quoted =
      problem === null
        ? ''
        : `: ${safeExcerpt(problem, secrets)}${advice === null ? '' : ` (${safeExcerpt(advice, secrets)})`}`;
    throw new SpliceError(
      'TOKEN_REQUEST_FAILED',
      `${subject} was refused with HTTP ${response.status}${quoted}. Check the consumer key and secret, the signature method and the realm${request.step === 'token' ? ', or start the authorization again' : ''}.`,
      {
        details: {
          ...details,
          status: response.status,
          ...(problem === null ? {} : { oauthProblem: safeExcerpt(problem, secrets) }),
        },
      },
    );
  }
  const token = fields.get('oauth_token');
  const secret = fields.get('oauth_token_secret');
  for (const [name, value] of [
    ['oauth_token', token],
    ['oauth_token_secret', secret],
  ] as const) {
    if (value === null || value === '') {
      throw new SpliceError(
        'TOKEN_RESPONSE_INVALID',
        `${subject} answered without "${name}" (RFC 5849 ${request.step === 'temporary' ? '§2.1' : '§2.3'} requires it in a form-encoded body).`,
        { details: { ...details, field: name } },
      );
    }
  }
  return { token: token!, secret: secret!, fields };
}
