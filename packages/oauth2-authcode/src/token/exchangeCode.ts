import { type AuthContext, type Credentials, inSpan } from '@splice/core';
import type { ResolvedOptions } from '../OAuth2AuthorizationCodeOptions.js';
import type { OAuthSettings } from '../settings/OAuthSettings.js';
import { renderUrl } from '../settings/renderUrl.js';
import { requestToken } from './requestToken.js';

/**
 * Exchanges an authorization code at the token URL (RFC 6749 §4.1.3): `grant_type`, `code`,
 * `redirect_uri`, and `code_verifier` when PKCE was used (RFC 7636 §4.5), within the method's
 * timeout. Runs in a `splice.token.exchange` span.
 *
 * @example
 * ```ts
 * const credentials = await exchangeCode(ctx, settings, options, code, redirectUri, verifier);
 * ```
 */
export async function exchangeCode(
  ctx: AuthContext,
  settings: OAuthSettings,
  options: ResolvedOptions,
  code: string,
  redirectUri: string,
  codeVerifier: string | undefined,
  captured?: Readonly<Record<string, string>>,
): Promise<Credentials> {
  const details = { connectorId: ctx.connector.id, authMethodId: ctx.method.id };
  return inSpan(
    'splice.token.exchange',
    { 'splice.connector.id': ctx.connector.id, 'splice.auth_method.id': ctx.method.id },
    async (span) => {
      const params: Record<string, string> = {
        grant_type: settings.grantType,
        code,
        redirect_uri: redirectUri,
      };
      if (codeVerifier !== undefined) params['code_verifier'] = codeVerifier;
      const credentials = await requestToken(ctx, settings, options, {
        url: renderUrl(ctx, 'token'),
        params,
        operation: 'exchange',
        secrets: codeVerifier === undefined ? [code] : [code, codeVerifier],
        ...(captured === undefined ? {} : { previousCaptured: captured }),
        details,
        span,
      });
      ctx.logger.info('splice: authorization code exchanged', {
        ...details,
        refreshable: credentials.values['refresh_token'] !== undefined,
        expiresAt: credentials.expiresAt,
      });
      return credentials;
    },
  );
}
