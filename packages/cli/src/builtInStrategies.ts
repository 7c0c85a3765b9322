import type { AuthStrategy } from '@splice/core';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { basicAuth } from '@splice/strategies/basic';
import { oauth1, oauth1PreIssued } from '@splice/strategies/oauth1';
import { tokenAuth } from '@splice/strategies/token';

/**
 * The strategies the `splice` command knows: every type Splice ships
 * (`oauth2-authorization-code`, `token`, `basic`, `oauth1`, `oauth1-pre-issued`). Methods of
 * other types belong to an engine's own strategies; `splice validate` checks their schema only.
 *
 * @example
 * ```ts
 * await loadConnector('acme.yaml', { strategies: builtInStrategies() });
 * ```
 */
export function builtInStrategies(): AuthStrategy[] {
  return [oauth2AuthorizationCode(), tokenAuth(), basicAuth(), oauth1(), oauth1PreIssued()];
}
