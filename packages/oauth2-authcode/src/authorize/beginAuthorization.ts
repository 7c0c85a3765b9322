import { type AuthContext, type AuthorizationRequest, inSpan, type JsonObject } from '@splice/core';
import { readSettings } from '../settings/readSettings.js';
import { renderUrl } from '../settings/renderUrl.js';
import { requireValues } from '../settings/requireValues.js';
import { renderRequestParts } from '../token/renderRequestParts.js';
import { createPkce } from './createPkce.js';
import { createState } from './createState.js';

/**
 * Step 1 of SPEC §4: checks the variables (one `VARIABLE_MISSING` listing every missing key),
 * makes `state` and a PKCE pair, and builds the authorise URL (RFC 6749 §4.1.1 with RFC 7636
 * §4.3): `response_type`, `client_id`, `redirect_uri`, `scope`, `state`, `code_challenge`,
 * `code_challenge_method`, plus the method's URL-parameter tab. The returned `data` (verifier,
 * redirect URI, the authorization endpoint's origin) is what the caller keeps as the pending
 * authorization for `complete`.
 *
 * @example
 * ```ts
 * const { authorizationUrl, state, data } = await beginAuthorization(ctx);
 * await savePendingAuthorization(ctx.store, state, { ...pending, data });
 * ```
 */
export async function beginAuthorization(ctx: AuthContext): Promise<AuthorizationRequest> {
  return inSpan(
    'splice.authorize.begin',
    { 'splice.connector.id': ctx.connector.id, 'splice.auth_method.id': ctx.method.id },
    async () => {
      const settings = readSettings(ctx);
      requireValues(ctx, settings, ['authorise', 'token']);
      const url = new URL(renderUrl(ctx, 'authorise'));
      const state = createState(settings.stateLength);
      const pkce = createPkce(settings.pkce);
      const redirectUri = settings.callbackUrl ?? '';
      // The method's own URL parameters go first: the protocol parameters must not be overridden.
      for (const [key, value] of Object.entries(renderRequestParts(ctx, 'authorization').query))
        url.searchParams.set(key, value);
      url.searchParams.set('response_type', settings.responseType);
      url.searchParams.set('client_id', settings.clientId ?? '');
      url.searchParams.set('redirect_uri', redirectUri);
      if (settings.scope !== '') url.searchParams.set('scope', settings.scope);
      url.searchParams.set('state', state);
      if (pkce !== undefined) {
        url.searchParams.set('code_challenge', pkce.challenge);
        url.searchParams.set('code_challenge_method', pkce.method);
      }
      // The authorization server this authorization went to: with no issuer configured, the
      // callback's `iss` must be on its origin (RFC 9207 §2.4, see completeAuthorization).
      const data: JsonObject = {
        redirect_uri: redirectUri,
        state,
        authorization_origin: url.origin,
      };
      if (pkce !== undefined) data['code_verifier'] = pkce.verifier;
      ctx.logger.debug('splice: authorization begun', {
        connectorId: ctx.connector.id,
        authMethodId: ctx.method.id,
        pkce: settings.pkce,
      });
      return { authorizationUrl: url.href, state, data };
    },
  );
}
