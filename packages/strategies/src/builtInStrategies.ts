import type { AuthStrategy } from '@splice/core';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { oauth2ClientCredentials } from '@splice/oauth2-authcode/client-credentials';
import { basicAuth } from './basic/basicAuth.js';
import { oauth1 } from './oauth1/oauth1.js';
import { oauth1PreIssued } from './oauth1/oauth1PreIssued.js';
import { tokenAuth } from './token/tokenAuth.js';

/**
 * A fresh instance of every strategy Splice ships, with default options — one per method type of
 * the platform: `oauth2-authorization-code` and `oauth2-client-credentials`
 * (`@splice/oauth2-authcode`), `token`, `basic`, `oauth1` and `oauth1-pre-issued`. For tools that
 * must accept any connector made of built-in types (the `splice` command, the demo, the
 * dashboard); an engine usually registers only the types it offers, with its own options. Each
 * call makes new strategies (their token caches are per runtime).
 *
 * @example
 * ```ts
 * import { builtInStrategies } from '@splice/strategies/built-in';
 *
 * const strategies = builtInStrategies();
 * const runtime = createRuntime({ connectors: [await loadConnector('acme.yaml', { strategies })], strategies });
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
