import { type AuthStrategy, type Credentials, checkMethodUrls } from '@splice/core';
import { checkCredentials } from '../shared/checkCredentials.js';
import { createCredentialKeeper } from '../shared/createCredentialKeeper.js';
import { requireValues } from '../shared/requireValues.js';
import { resolveStrategyOptions, type StrategyOptions } from '../shared/StrategyOptions.js';

import { OAUTH1_PRE_ISSUED_DEFAULT_VARIABLES } from './oauth1PreIssuedVariables.js';
import { checkOAuth1Value } from './settings/checkOAuth1Value.js';
import { readOAuth1Settings } from './settings/readOAuth1Settings.js';
import { signOAuth1 } from './signing/signOAuth1.js';
import { signWithTokenCredentials } from './signWithTokenCredentials.js';

/** The method `type` of OAuth 1 with token credentials issued outside a redirect flow. */
export const OAUTH1_PRE_ISSUED = 'oauth1-pre-issued';

/**
 * The `oauth1-pre-issued` strategy: OAuth 1.0a request signing (RFC 5849 §3) with token
 * credentials the provider issued outside a redirect flow — NetSuite token-based authentication
 * (consumer key/secret + token id/secret, HMAC-SHA256, `realm` = account id). Non-interactive:
 * `addInstance` checks the values and, when the method has `urls.test`, one signed GET there
 * (401/403 → `CREDENTIALS_INVALID`, nothing saved); then every endpoint request is signed like
 * `oauth1`'s, through the runtime's `sign` hook.
 *
 * @example
 * ```ts
 * import { oauth1PreIssued } from '@splice/strategies/oauth1';
 *
 * const runtime = createRuntime({ connectors: [netsuite], strategies: [oauth1PreIssued()] });
 * await runtime.addInstance({ connectorId: 'netsuite', authMethodId: 'netsuite-tba', name: 'Prod',
 *   variables: { realm: '1234567', consumer_key, consumer_secret, token_id, token_secret } });
 * ```
 */
export function oauth1PreIssued(options: StrategyOptions = {}): AuthStrategy {
  const { retry } = resolveStrategyOptions('oauth1PreIssued', options);
  const keeper = createCredentialKeeper(OAUTH1_PRE_ISSUED, 'CREDENTIALS_INVALID');
  return {
    type: OAUTH1_PRE_ISSUED,
    interactive: false,
    variables: OAUTH1_PRE_ISSUED_DEFAULT_VARIABLES,
    apply: Object.freeze({ headers: Object.freeze({}), query: Object.freeze({}) }),
    validateMethod: (method) =>
      checkMethodUrls(
        method,
        OAUTH1_PRE_ISSUED,
        {
          required: {},
          optional: { test: 'a URL that answers 2xx to a signed GET with good credentials' },
        },
        checkOAuth1Value,
      ),
    async authenticate(ctx): Promise<Credentials> {
      const settings = readOAuth1Settings(ctx);
      const { token_id, token_secret } = requireValues(ctx, ['token_id', 'token_secret']);
      const credentials: Credentials = {
        values: { oauth_token: token_id, oauth_token_secret: token_secret },
        obtainedAt: ctx.now(),
      };
      const token = { token: token_id, secret: token_secret };
      await checkCredentials(ctx, credentials, {
        retry,
        what: 'consumer and token credentials',
        sign: (request) => ({ authorization: signOAuth1(request, settings, token, ctx.now()) }),
      });
      return credentials;
    },
    getCredentials: keeper.getCredentials,
    sign: signWithTokenCredentials,
    forget: keeper.forget,
    release: keeper.forget,
  };
}
