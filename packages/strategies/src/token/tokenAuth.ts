import { type AuthStrategy, type Credentials, checkMethodUrls } from '@splice/core';
import { checkCredentials } from '../shared/checkCredentials.js';
import { createCredentialKeeper } from '../shared/createCredentialKeeper.js';
import { requireValues } from '../shared/requireValues.js';
import { resolveStrategyOptions, type StrategyOptions } from '../shared/StrategyOptions.js';

import { TOKEN_DEFAULT_VARIABLES } from './tokenVariables.js';

/** The method `type` the token strategy handles. */
export const TOKEN = 'token';

/**
 * The `token` strategy: an API key or bearer token the user enters (the secret auth variable
 * `token`), put on every endpoint request by `apply` — `Authorization: Bearer {{token}}` unless the
 * method's own `apply` puts it elsewhere: any header (`X-Shopify-Access-Token: '{{token}}'`) or a
 * query parameter (`query: { api_key: '{{token}}' }`). Non-interactive: instances are added with
 * `runtime.addInstance()`, and when the method has `urls.test` the token is checked there first
 * (one GET carrying it as endpoint requests will; 401/403 → `CREDENTIALS_INVALID`, nothing
 * saved). A static token is never refreshed.
 *
 * Each call makes an independent strategy: register one per runtime.
 *
 * @example
 * ```ts
 * import { tokenAuth } from '@splice/strategies/token';
 *
 * const runtime = createRuntime({ connectors: [shopify], strategies: [tokenAuth()] });
 * await runtime.addInstance({ connectorId: 'shopify', authMethodId: 'shopify-token', name: 'Shop',
 *   variables: { store_name: 'northwind', token: process.env.SHOPIFY_TOKEN! } });
 * ```
 */
export function tokenAuth(options: StrategyOptions = {}): AuthStrategy {
  const { retry } = resolveStrategyOptions('tokenAuth', options);
  const keeper = createCredentialKeeper(TOKEN, 'CREDENTIALS_INVALID');
  return {
    type: TOKEN,
    interactive: false,
    variables: TOKEN_DEFAULT_VARIABLES,
    apply: Object.freeze({
      headers: Object.freeze({ Authorization: 'Bearer {{token}}' }),
      query: Object.freeze({}),
    }),
    validateMethod: (method) =>
      checkMethodUrls(method, TOKEN, {
        required: {},
        optional: { test: 'a URL that answers 2xx to a GET with a good token' },
      }),
    async authenticate(ctx): Promise<Credentials> {
      const { token } = requireValues(ctx, ['token']);
      // The checked token is the credential: requests carry what was checked, nothing else.
      const credentials: Credentials = { values: { token }, obtainedAt: ctx.now() };
      await checkCredentials(ctx, credentials, { retry, what: 'token' });
      return credentials;
    },
    getCredentials: keeper.getCredentials,
    forget: keeper.forget,
    release: keeper.forget,
  };
}
