import { type AuthStrategy, checkMethodUrls } from '@splice/core';
import { createCredentialKeeper } from '../shared/createCredentialKeeper.js';
import { resolveStrategyOptions, type StrategyOptions } from '../shared/StrategyOptions.js';

import { beginOAuth1 } from './flow/beginOAuth1.js';
import { completeOAuth1 } from './flow/completeOAuth1.js';
import { OAUTH1_DEFAULT_VARIABLES } from './oauth1Variables.js';
import { checkOAuth1Value } from './settings/checkOAuth1Value.js';
import { signWithTokenCredentials } from './signWithTokenCredentials.js';

/** The method `type` of the OAuth 1.0a redirect flow. */
export const OAUTH1 = 'oauth1';

/**
 * The `oauth1` strategy: OAuth 1.0a's redirect flow (RFC 5849 §2) as an interactive strategy —
 * temporary credentials (`urls.request_token`), the user's authorization (`urls.authorise`),
 * token credentials (`urls.access_token`) — and every endpoint request signed (§3) through the
 * runtime's `sign` hook with HMAC-SHA1 (default) or HMAC-SHA256, a fresh nonce and the context's
 * clock, over the URL's query and a form body, with `realm` when set. OAuth 1 token credentials
 * do not expire: there is no refresh; a revoked token shows as the API's 401.
 *
 * @example
 * ```ts
 * import { oauth1 } from '@splice/strategies/oauth1';
 *
 * const runtime = createRuntime({ connectors: [trello], strategies: [oauth1()],
 *   callbackUrl: 'https://flows.example/oauth/callback' });
 * const { authorizationUrl } = await runtime.beginAuthorization({ connectorId: 'trello',
 *   authMethodId: 'trello-oauth1', name: 'Board', variables: { consumer_key, consumer_secret } });
 * // …the user approves; the provider redirects to the callback with state, oauth_token, oauth_verifier…
 * const instance = await runtime.completeAuthorization(callbackUrl);
 * ```
 */
export function oauth1(options: StrategyOptions = {}): AuthStrategy {
  const { retry } = resolveStrategyOptions('oauth1', options);
  const keeper = createCredentialKeeper(OAUTH1, 'REAUTHORIZATION_REQUIRED');
  return {
    type: OAUTH1,
    interactive: true,
    variables: OAUTH1_DEFAULT_VARIABLES,
    // The credential is a per-request signature (`sign`): nothing static to apply.
    apply: Object.freeze({ headers: Object.freeze({}), query: Object.freeze({}) }),
    validateMethod: (method) =>
      checkMethodUrls(
        method,
        OAUTH1,
        {
          required: {
            request_token: 'the Temporary Credential Request URI, RFC 5849 §2.1',
            authorise: 'the Resource Owner Authorization URI, RFC 5849 §2.2',
            access_token: 'the Token Request URI, RFC 5849 §2.3',
          },
          optional: {},
        },
        checkOAuth1Value,
      ),
    begin: (ctx) => beginOAuth1(ctx, retry),
    complete: (ctx, callback) => completeOAuth1(ctx, callback, retry),
    getCredentials: keeper.getCredentials,
    sign: signWithTokenCredentials,
    forget: keeper.forget,
    release: keeper.forget,
  };
}
