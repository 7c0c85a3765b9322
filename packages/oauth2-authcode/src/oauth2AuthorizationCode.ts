import type { AuthStrategy, Credentials } from '@splice/core';
import { SpliceError } from '@splice/core';
import { beginAuthorization } from './authorize/beginAuthorization.js';
import { completeAuthorization } from './authorize/completeAuthorization.js';
import { isExpiredTokenResponse } from './expiry/isExpiredTokenResponse.js';
import {
  type OAuth2AuthorizationCodeOptions,
  resolveOptions,
} from './OAuth2AuthorizationCodeOptions.js';
import { createTokenKeeper } from './refresh/createTokenKeeper.js';
import { describeOAuthCredentials } from './refresh/describeOAuthCredentials.js';
import { readSettings } from './settings/readSettings.js';
import { oauthRequiredKeys } from './settings/requiredKeys.js';
import { requireValues } from './settings/requireValues.js';
import { BEARER_APPLY } from './token/bearerApply.js';
import { exchangeCode } from './token/exchangeCode.js';
import { validateOAuthMethod } from './validateMethod.js';
import { OAUTH2_DEFAULT_VARIABLES } from './variables/defaultVariables.js';

/** The method `type` this strategy handles. */
export const OAUTH2_AUTHORIZATION_CODE = 'oauth2-authorization-code';

/**
 * The OAuth 2 authorization-code strategy (SPEC §4; RFC 6749 §4.1 with PKCE, RFC 7636, and
 * issuer identification, RFC 9207). Register it with the runtime; connector definitions pick it
 * with `type: oauth2-authorization-code`. Options are checked at once (coded `TypeError`).
 *
 * Each call makes an independent strategy with its own token cache: use one per runtime.
 *
 * @example
 * ```ts
 * import { createRuntime } from '@splice/endpoint-runtime';
 * import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
 *
 * const runtime = createRuntime({
 *   connectors: [acme],
 *   strategies: [oauth2AuthorizationCode({ refreshSkewSeconds: 120 })],
 *   callbackUrl: 'https://app.example/oauth/callback',
 * });
 * ```
 */
export function oauth2AuthorizationCode(
  options: OAuth2AuthorizationCodeOptions = {},
): AuthStrategy {
  const resolved = resolveOptions(options);
  const keeper = createTokenKeeper(resolved);
  return {
    type: OAUTH2_AUTHORIZATION_CODE,
    interactive: true,
    capturesValues: true,
    // A code exchanged by addInstance is spent: never saved with the instance.
    singleUseKeys: ['oauth_authorised_code'],
    variables: OAUTH2_DEFAULT_VARIABLES,
    apply: BEARER_APPLY,
    requiredKeys: oauthRequiredKeys,
    validateMethod: validateOAuthMethod,
    begin: beginAuthorization,
    complete: (ctx, callback) => completeAuthorization(ctx, callback, resolved),
    async authenticate(ctx): Promise<Credentials> {
      const settings = readSettings(ctx);
      if (settings.authorisedCode === undefined) {
        throw new SpliceError(
          'VARIABLE_MISSING',
          `Auth method "${ctx.method.id}" is interactive: use beginAuthorization and completeAuthorization to add an instance, or set the advanced variable "oauth_authorised_code" to exchange a code obtained elsewhere.`,
          {
            details: {
              keys: ['oauth_authorised_code'],
              connectorId: ctx.connector.id,
              authMethodId: ctx.method.id,
            },
          },
        );
      }
      requireValues(ctx, settings, ['token']);
      // The code was issued outside Splice: no PKCE verifier exists, and the redirect URI must
      // be the one it was issued for (RFC 6749 §4.1.3), i.e. callback_url.
      return exchangeCode(
        ctx,
        settings,
        resolved,
        settings.authorisedCode,
        settings.callbackUrl ?? '',
        undefined,
      );
    },
    getCredentials: keeper.getCredentials,
    refresh: keeper.refresh,
    isExpiredResponse: isExpiredTokenResponse,
    describeCredentials: (credentials) =>
      describeOAuthCredentials(credentials, resolved.refreshSkewMs),
    forget: keeper.forget,
    release: keeper.release,
    close: keeper.close,
  };
}
