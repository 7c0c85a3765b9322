import {
  type AuthContext,
  type AuthorizationCallback,
  type Credentials,
  inSpan,
  SpliceError,
  safeExcerpt,
} from '@splice/core';
import type { RetryPolicy } from '@splice/http';

import { readOAuth1Settings } from '../settings/readOAuth1Settings.js';
import { methodUrl } from './methodUrl.js';
import { requestCredentials } from './requestCredentials.js';

/**
 * Finishes the redirect flow (RFC 5849 §2.2–2.3) after the runtime took the pending authorization
 * of the callback's `state`. In this order: a refusal on the callback — `denied` (the common
 * form), `oauth_problem` (OAuth Problem Reporting) or `error` — is `AUTH_DENIED`; a state, or an
 * `oauth_token`, other than the pending one's, or no `oauth_verifier`, is `AUTH_STATE_INVALID`;
 * then the token credentials are requested, signed with the temporary credentials, with
 * `oauth_verifier`. The credentials are `oauth_token` and `oauth_token_secret`.
 *
 * @example
 * ```ts
 * const credentials = await completeOAuth1(ctx, { params, data: pending.data }, retry);
 * ```
 */
export async function completeOAuth1(
  ctx: AuthContext,
  callback: AuthorizationCallback,
  retry: RetryPolicy,
): Promise<Credentials> {
  return inSpan(
    'splice.authorize.complete',
    { 'splice.connector.id': ctx.connector.id, 'splice.auth_method.id': ctx.method.id },
    async () => {
      const settings = readOAuth1Settings(ctx);
      const { params, data } = callback;
      const details = { connectorId: ctx.connector.id, authMethodId: ctx.method.id };
      const pendingToken = data['oauth_token'];
      const pendingSecret = data['oauth_token_secret'];
      const verifier = params.get('oauth_verifier') ?? '';
      const secrets = [
        settings.consumerSecret,
        ...(typeof pendingSecret === 'string' ? [pendingSecret] : []),
        ...(verifier === '' ? [] : [verifier]),
      ];
      const problem = params.get('oauth_problem') ?? params.get('error');
      if (params.has('denied') || problem !== null) {
        const said = problem === null ? 'denied' : safeExcerpt(problem, secrets);
        throw new SpliceError(
          'AUTH_DENIED',
          `The provider refused the authorization (${said}). Ask the user to try again and grant access.`,
          { details: { ...details, providerError: said } },
        );
      }
      if (
        typeof pendingToken !== 'string' ||
        typeof pendingSecret !== 'string' ||
        params.get('state') !== data['state']
      ) {
        throw new SpliceError(
          'AUTH_STATE_INVALID',
          'The authorization callback does not belong to this pending OAuth 1 authorization. Start the authorization again.',
          { details },
        );
      }
      if (params.get('oauth_token') !== pendingToken) {
        throw new SpliceError(
          'AUTH_STATE_INVALID',
          'The callback\'s "oauth_token" is not the temporary token of this authorization (RFC 5849 §2.2): the callback may have been tampered with. Start the authorization again.',
          { details },
        );
      }
      if (verifier === '') {
        throw new SpliceError(
          'AUTH_STATE_INVALID',
          'The authorization callback has no "oauth_verifier" (RFC 5849 §2.2). Start the authorization again; check that the callback URL passes the whole query string.',
          { details },
        );
      }
      const granted = await requestCredentials(ctx, settings, {
        step: 'token',
        url: methodUrl(ctx, 'access_token'),
        token: { token: pendingToken, secret: pendingSecret },
        protocol: { oauth_verifier: verifier },
        retry,
        secrets: [verifier],
      });
      return {
        values: { oauth_token: granted.token, oauth_token_secret: granted.secret },
        obtainedAt: ctx.now(),
      };
    },
  );
}
