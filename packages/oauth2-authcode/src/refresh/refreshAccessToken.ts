import type { Span } from '@opentelemetry/api';
import type { Credentials, InstanceContext } from '@splice/core';
import type { ResolvedOptions } from '../OAuth2AuthorizationCodeOptions.js';
import type { OAuthSettings } from '../settings/OAuthSettings.js';
import { renderUrl } from '../settings/renderUrl.js';
import { requestToken } from '../token/requestToken.js';

/**
 * Sends one refresh request (RFC 6749 §6) to `urls.reauthenticate`, else `urls.token`, with
 * `{refresh_grant_type_key}={refresh_grant_type}` and `refresh_token`. A response without a refresh
 * token keeps `refreshToken`. No locking here: see `createTokenKeeper`.
 *
 * @example
 * ```ts
 * const next = await refreshAccessToken(ctx, settings, options, refreshToken, span);
 * ```
 */
export async function refreshAccessToken(
  ctx: InstanceContext,
  settings: OAuthSettings,
  options: ResolvedOptions,
  refreshToken: string,
  span: Span,
): Promise<Credentials> {
  const urlName = ctx.method.urls['reauthenticate'] === undefined ? 'token' : 'reauthenticate';
  return requestToken(ctx, settings, options, {
    url: renderUrl(ctx, urlName),
    params: {
      [settings.refreshGrantTypeKey]: settings.refreshGrantType,
      refresh_token: refreshToken,
    },
    operation: 'refresh',
    secrets: [refreshToken],
    previousRefreshToken: refreshToken,
    details: {
      connectorId: ctx.connector.id,
      authMethodId: ctx.method.id,
      instanceId: ctx.instance.id,
    },
    span,
  });
}
