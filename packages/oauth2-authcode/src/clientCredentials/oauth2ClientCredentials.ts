import type { Span } from '@opentelemetry/api';
import { type AuthStrategy, type Credentials, type InstanceContext, inSpan } from '@splice/core';
import { isExpiredTokenResponse } from '../expiry/isExpiredTokenResponse.js';
import {
  type OAuth2AuthorizationCodeOptions,
  type ResolvedOptions,
  resolveOptions,
} from '../OAuth2AuthorizationCodeOptions.js';
import { createTokenKeeper, type Renewal } from '../refresh/createTokenKeeper.js';
import { describeOAuthCredentials } from '../refresh/describeOAuthCredentials.js';
import type { OAuthSettings } from '../settings/OAuthSettings.js';
import { oauthRequiredKeys } from '../settings/requiredKeys.js';
import { requireValues } from '../settings/requireValues.js';
import { BEARER_APPLY } from '../token/bearerApply.js';
import { OAUTH2_CLIENT_CREDENTIALS_DEFAULT_VARIABLES } from './clientCredentialsVariables.js';
import { readClientSettings } from './readClientSettings.js';
import { requestClientToken } from './requestClientToken.js';
import { validateClientCredentialsMethod } from './validateClientCredentialsMethod.js';

/** The method `type` this strategy handles. */
export const OAUTH2_CLIENT_CREDENTIALS = 'oauth2-client-credentials';

/**
 * Options of `oauth2ClientCredentials()`: the authorization-code strategy's (renewal skew,
 * retries, `Retry-After` cap, lock wait), with the same defaults.
 */
export type OAuth2ClientCredentialsOptions = OAuth2AuthorizationCodeOptions;

// A client's own token is renewed by asking again with the client's credentials: always possible.
const CLIENT_CREDENTIALS_RENEWAL: Renewal = Object.freeze({
  canRenew: () => true,
  renew: (
    ctx: InstanceContext,
    _settings: OAuthSettings,
    options: ResolvedOptions,
    _current: Credentials,
    span: Span,
  ) => requestClientToken(ctx, readClientSettings(ctx), options, span, ctx.instance.id),
});

/**
 * The OAuth 2 client-credentials strategy (RFC 6749 §4.4): the client authenticates with its own
 * id and secret (`client_secret_basic`, the default, or `client_secret_post`, RFC 6749 §2.3.1)
 * and gets an access token for itself, with `scope` and any `token_parameters` (`audience`,
 * `resource`). Non-interactive: `runtime.addInstance()` asks for the first token, so wrong
 * credentials fail there (`TOKEN_REQUEST_FAILED` with `details.oauthError`, e.g.
 * `invalid_client`) and nothing is saved. Tokens are then served from memory, renewed before they
 * expire and when an endpoint refuses them, once per instance across every process sharing the
 * store — by the authorization-code strategy's token keeper, request and response code.
 *
 * Each call makes an independent strategy with its own token cache: use one per runtime.
 *
 * @example
 * ```ts
 * import { oauth2ClientCredentials } from '@splice/oauth2-authcode/client-credentials';
 *
 * const runtime = createRuntime({ connectors: [acme], strategies: [oauth2ClientCredentials()] });
 * await runtime.addInstance({ connectorId: 'acme', authMethodId: 'acme-service', name: 'Reports',
 *   variables: { client_id: 'reports', client_secret: process.env.ACME_SECRET!, scope: 'api.read' } });
 * ```
 */
export function oauth2ClientCredentials(
  options: OAuth2ClientCredentialsOptions = {},
): AuthStrategy {
  const resolved = resolveOptions(options, 'oauth2ClientCredentials');
  const keeper = createTokenKeeper(resolved, CLIENT_CREDENTIALS_RENEWAL);
  return {
    type: OAUTH2_CLIENT_CREDENTIALS,
    interactive: false,
    variables: OAUTH2_CLIENT_CREDENTIALS_DEFAULT_VARIABLES,
    apply: BEARER_APPLY,
    requiredKeys: oauthRequiredKeys,
    validateMethod: validateClientCredentialsMethod,
    async authenticate(ctx): Promise<Credentials> {
      const settings = readClientSettings(ctx);
      requireValues(ctx, settings, ['token'], false);
      // The first token is an exchange of the client's credentials (SPEC §7's span names).
      return inSpan(
        'splice.token.exchange',
        {
          'splice.connector.id': ctx.connector.id,
          'splice.auth_method.id': ctx.method.id,
          'splice.grant_type': 'client_credentials',
        },
        async (span) => {
          const credentials = await requestClientToken(ctx, settings, resolved, span);
          ctx.logger.info('splice: client credentials token obtained', {
            connectorId: ctx.connector.id,
            authMethodId: ctx.method.id,
            expiresAt: credentials.expiresAt,
          });
          return credentials;
        },
      );
    },
    getCredentials: keeper.getCredentials,
    refresh: keeper.refresh,
    isExpiredResponse: isExpiredTokenResponse,
    // Always renewable (the client's own credentials), on the same due rule as a refresh.
    describeCredentials: (credentials) =>
      describeOAuthCredentials(credentials, resolved.refreshSkewMs, true),
    forget: keeper.forget,
    release: keeper.release,
    close: keeper.close,
  };
}
