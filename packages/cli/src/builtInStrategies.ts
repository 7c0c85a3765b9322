import type { AuthStrategy } from '@splice/core';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { oauth2ClientCredentials } from '@splice/oauth2-authcode/client-credentials';
import { basicAuth } from '@splice/strategies/basic';
import { oauth1, oauth1PreIssued } from '@splice/strategies/oauth1';
import { tokenAuth } from '@splice/strategies/token';

/**
 * The strategies the `splice` command knows: every built-in one — `oauth2-authorization-code`,
 * `oauth2-client-credentials` (`@splice/oauth2-authcode`), `token`, `basic`, `oauth1` and
 * `oauth1-pre-issued` (`@splice/strategies`). Methods of other types belong to an engine's own
 * strategies; `splice validate` checks their schema only.
 *
 * @example
 * ```ts
 * await loadConnector('acme.yaml', { strategies: builtInStrategies() });
 * ```
 */
export function builtInStrategies(): AuthStrategy[] {
  return [
    oauth2AuthorizationCode(),
    oauth2ClientCredentials(),
    tokenAuth(),
    basicAuth(),
    oauth1(),
    oauth1PreIssued(),
  ];
}
