import type { AuthStrategy } from '@splice/core';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';

/**
 * The strategies the `splice` command knows: `oauth2-authorization-code`. Methods of other types
 * belong to an engine's own strategies; `splice validate` checks their schema only.
 *
 * @example
 * ```ts
 * await loadConnector('acme.yaml', { strategies: builtInStrategies() });
 * ```
 */
export function builtInStrategies(): AuthStrategy[] {
  return [oauth2AuthorizationCode()];
}
