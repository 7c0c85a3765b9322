import type { Span } from '@opentelemetry/api';
import type { Credentials, InstanceContext } from '@splice/core';
import type { ResolvedOptions } from '../OAuth2AuthorizationCodeOptions.js';
import type { OAuthSettings } from '../settings/OAuthSettings.js';
import { renderUrl } from '../settings/renderUrl.js';
import { withCaptured } from '../settings/withCaptured.js';
import { requestToken } from '../token/requestToken.js';

/**
 * Sends one refresh request (RFC 6749 §6) to `urls.reauthenticate`, else `urls.token`, with
 * `{refresh_grant_type_key}={refresh_grant_type}` and `refresh_token`. A response without a refresh
 * token keeps `refreshToken`; captured values the response does not carry again keep
 * `previousCaptured`. No locking here: see `createTokenKeeper`.
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
  previousCaptured?: Readonly<Record<string, string>>,
): Promise<Credentials> {
  const urlName = ctx.method.urls['reauthenticate'] === undefined ? 'token' : 'reauthenticate';
  // The refresh URL and tabs may use the values captured at consent (Zoho's accounts server).
  const withValues = withCaptured(ctx, previousCaptured);
  return requestToken(withValues, settings, options, {
    url: renderUrl(withValues, urlName),
    params: {
      [settings.refreshGrantTypeKey]: settings.refreshGrantType,
      refresh_token: refreshToken,
    },
    operation: 'refresh',
    secrets: [refreshToken],
    previousRefreshToken: refreshToken,
    ...(previousCaptured === undefined ? {} : { previousCaptured }),
    details: {
      connectorId: ctx.connector.id,
      authMethodId: ctx.method.id,
      instanceId: ctx.instance.id,
    },
    span,
  });
}
