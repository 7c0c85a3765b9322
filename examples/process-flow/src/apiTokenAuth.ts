import type { AuthStrategy } from '@splice/core';

/**
 * The engine's own strategy for Acme's `token` method: an API token in a header, nothing to
 * refresh. Engines register strategies like this next to the OAuth 2 one; the connector's
 * `apply` decides which header carries it.
 *
 * @example
 * ```ts
 * createRuntime({ connectors, strategies: [oauth2AuthorizationCode(), apiTokenAuth()] });
 * ```
 */
export function apiTokenAuth(): AuthStrategy {
  return {
    type: 'token',
    interactive: false,
    variables: [
      {
        key: 'token',
        label: 'API token',
        required: true,
        secret: true,
        configurable: true,
        advanced: false,
        locked: true,
      },
    ],
    apply: { headers: { Authorization: 'Token {{token}}' }, query: {} },
    async authenticate(ctx) {
      return { values: {}, obtainedAt: ctx.now() };
    },
    async getCredentials(ctx) {
      return { values: {}, obtainedAt: ctx.now() };
    },
  };
}
