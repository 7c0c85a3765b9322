import {
  type AuthStrategy,
  type Credentials,
  checkMethodUrls,
  invalidAuthVariable,
} from '@splice/core';
import { checkCredentials } from '../shared/checkCredentials.js';
import { createCredentialKeeper } from '../shared/createCredentialKeeper.js';
import { requireValues } from '../shared/requireValues.js';
import { resolveStrategyOptions, type StrategyOptions } from '../shared/StrategyOptions.js';
import { BASIC_DEFAULT_VARIABLES } from './basicVariables.js';
import { encodeBasicCredentials } from './encodeBasicCredentials.js';

/** The method `type` the basic strategy handles. */
export const BASIC = 'basic';

// RFC 7617 §2: "The user-id and password MUST NOT contain any control characters".
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The `basic` strategy (HTTP Basic authentication, RFC 7617): the user enters `username` and
 * `password`; every endpoint request carries `Authorization: Basic <base64(username:password)>`
 * with the UTF-8 charset (RFC 7617 §2.1), computed once when the instance is added and kept as
 * the credential `basic_credentials` (a method's own `apply` may use it elsewhere). A user-id with
 * `:` or a control character in either part is `VARIABLE_INVALID` (§2) — the value is never
 * echoed. Non-interactive, checked at `urls.test` like `token` (401/403 → `CREDENTIALS_INVALID`,
 * nothing saved); never refreshed.
 *
 * @example
 * ```ts
 * import { basicAuth } from '@splice/strategies/basic';
 *
 * const runtime = createRuntime({ connectors: [woo], strategies: [basicAuth()] });
 * await runtime.addInstance({ connectorId: 'woo', authMethodId: 'woo-basic', name: 'Shop',
 *   variables: { username: 'ck_…', password: process.env.WOO_SECRET! } });
 * ```
 */
export function basicAuth(options: StrategyOptions = {}): AuthStrategy {
  const { retry } = resolveStrategyOptions('basicAuth', options);
  const keeper = createCredentialKeeper(BASIC, 'CREDENTIALS_INVALID');
  return {
    type: BASIC,
    interactive: false,
    variables: BASIC_DEFAULT_VARIABLES,
    apply: Object.freeze({
      headers: Object.freeze({ Authorization: 'Basic {{basic_credentials}}' }),
      query: Object.freeze({}),
    }),
    validateMethod: (method) =>
      checkMethodUrls(method, BASIC, {
        required: {},
        optional: { test: 'a URL that answers 2xx to a GET with good credentials' },
      }),
    async authenticate(ctx): Promise<Credentials> {
      const { username, password } = requireValues(ctx, ['username', 'password']);
      if (username.includes(':'))
        throw invalidAuthVariable(ctx, 'username', 'must not contain ":" (RFC 7617 §2).');
      if (CONTROL.test(username))
        throw invalidAuthVariable(
          ctx,
          'username',
          'must not contain control characters (RFC 7617 §2).',
        );
      if (CONTROL.test(password))
        throw invalidAuthVariable(
          ctx,
          'password',
          'must not contain control characters (RFC 7617 §2).',
        );
      const credentials: Credentials = {
        values: { basic_credentials: encodeBasicCredentials(username, password) },
        obtainedAt: ctx.now(),
      };
      await checkCredentials(ctx, credentials, { retry, what: 'username and password' });
      return credentials;
    },
    getCredentials: keeper.getCredentials,
    forget: keeper.forget,
    release: keeper.forget,
  };
}
