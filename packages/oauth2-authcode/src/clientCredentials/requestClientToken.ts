import type { Span } from '@opentelemetry/api';
import type { AuthContext, Credentials } from '@splice/core';
import type { ResolvedOptions } from '../OAuth2AuthorizationCodeOptions.js';
import { renderUrl } from '../settings/renderUrl.js';
import { requestToken } from '../token/requestToken.js';
import type { ClientCredentialsSettings } from './readClientSettings.js';

/**
 * Asks the token URL for an access token with the client's own credentials (RFC 6749 §4.4.2):
 * `grant_type` (`client_credentials`), `scope` when set, the `token_parameters` and the method's
 * body and header tabs (protocol parameters win), and client authentication — through the same
 * `requestToken` as the authorization-code strategy (retries, timeout, response judging). A
 * refresh token in the answer is dropped (RFC 6749 §4.4.3: none should be issued; a new token is
 * asked for the same way). Errors: `TOKEN_REQUEST_FAILED` (e.g. `invalid_client`),
 * `TOKEN_RESPONSE_INVALID`, `TIMEOUT`.
 *
 * @example
 * ```ts
 * const credentials = await requestClientToken(ctx, settings, options, span, instance.id);
 * ```
 */
export async function requestClientToken(
  ctx: AuthContext,
  settings: ClientCredentialsSettings,
  options: ResolvedOptions,
  span: Span,
  instanceId?: string,
): Promise<Credentials> {
  const params: Record<string, string> = {
    ...settings.tokenParameters,
    grant_type: settings.grantType,
  };
  if (settings.scope !== '') params['scope'] = settings.scope;
  const credentials = await requestToken(ctx, settings, options, {
    url: renderUrl(ctx, 'token'),
    params,
    operation: 'request',
    secrets: [],
    details: {
      connectorId: ctx.connector.id,
      authMethodId: ctx.method.id,
      ...(instanceId === undefined ? {} : { instanceId }),
    },
    span,
  });
  const { refresh_token: _dropped, ...values } = credentials.values;
  return { ...credentials, values };
}
