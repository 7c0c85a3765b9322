import {
  type AuthContext,
  type AuthorizationRequest,
  inSpan,
  invalidAuthVariable,
  redirectUriProblem,
  SpliceError,
  variableMissing,
} from '@splice/core';
import type { RetryPolicy } from '@splice/http';
import { readOAuth1Settings } from '../settings/readOAuth1Settings.js';
import { createState } from './createState.js';
import { methodUrl } from './methodUrl.js';
import { requestCredentials } from './requestCredentials.js';

/**
 * Starts the redirect flow (RFC 5849 §2.1–2.2). The runtime finds a pending authorization by the
 * `state` query parameter of the callback, while OAuth 1 identifies it by the temporary
 * `oauth_token`: so the `oauth_callback` sent is the callback URL with `state=<fresh state>`
 * added, which the provider keeps, appending `oauth_token` and `oauth_verifier` after it (§2.2
 * requires servers to keep the callback's query). Then: the temporary credentials are requested
 * (signed with the client credentials alone), `oauth_callback_confirmed=true` is required (§2.1),
 * and the user is sent to the authorise URL with the method's URL-parameter tab and
 * `oauth_token`. `data` keeps the state and the temporary credentials for `complete`.
 *
 * @example
 * ```ts
 * const { authorizationUrl, state, data } = await beginOAuth1(ctx, retry);
 * ```
 */
export async function beginOAuth1(
  ctx: AuthContext,
  retry: RetryPolicy,
): Promise<AuthorizationRequest> {
  return inSpan(
    'splice.authorize.begin',
    { 'splice.connector.id': ctx.connector.id, 'splice.auth_method.id': ctx.method.id },
    async () => {
      const settings = readOAuth1Settings(ctx);
      const callbackUrl = ctx.values['callback_url'] || ctx.callbackUrl || '';
      if (callbackUrl === '') {
        throw variableMissing(['callback_url'], `auth method "${ctx.method.id}"`, {
          connectorId: ctx.connector.id,
          authMethodId: ctx.method.id,
        });
      }
      const problem = redirectUriProblem(callbackUrl);
      if (problem !== undefined) throw invalidAuthVariable(ctx, 'callback_url', problem);
      const authorise = new URL(methodUrl(ctx, 'authorise'));
      const state = createState();
      const callback = new URL(callbackUrl);
      callback.searchParams.set('state', state);
      const temporary = await requestCredentials(ctx, settings, {
        step: 'temporary',
        url: methodUrl(ctx, 'request_token'),
        token: undefined,
        protocol: { oauth_callback: callback.href },
        retry,
        secrets: [],
      });
      if (temporary.fields.get('oauth_callback_confirmed') !== 'true') {
        throw new SpliceError(
          'TOKEN_RESPONSE_INVALID',
          `The temporary credentials of auth method "${ctx.method.id}" came without "oauth_callback_confirmed=true" (RFC 5849 §2.1): the provider speaks OAuth 1.0, not 1.0a, and Splice does not use it.`,
          {
            details: {
              connectorId: ctx.connector.id,
              authMethodId: ctx.method.id,
              field: 'oauth_callback_confirmed',
            },
          },
        );
      }
      // The method's own URL parameters first: the protocol parameter must not be overridden.
      for (const [name, template] of ctx.templates.request.query)
        authorise.searchParams.set(name, template.render(ctx.values));
      authorise.searchParams.set('oauth_token', temporary.token);
      return {
        authorizationUrl: authorise.href,
        state,
        data: { state, oauth_token: temporary.token, oauth_token_secret: temporary.secret },
      };
    },
  );
}
