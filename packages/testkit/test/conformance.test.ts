import {
  type AuthStrategy,
  type ConnectorDefinition,
  type Credentials,
  SpliceError,
  storeKeys,
} from '@splice/core';
import { describeStrategyConformance } from '../src/conformance/index.js';

// A minimal non-interactive strategy, as an engine would write one: proves the suite is generic.
function apiKeyAuth(): AuthStrategy {
  const cache = new Map<string, Credentials>();
  return {
    type: 'api-key',
    interactive: false,
    variables: [
      {
        key: 'api_key',
        label: 'API key',
        required: true,
        configurable: true,
        advanced: false,
        secret: true,
        locked: true,
      },
    ],
    apply: { headers: { 'X-Api-Key': '{{api_key}}' }, query: {} },
    async authenticate(ctx) {
      return {
        values: { api_key_id: String(ctx.values['api_key']?.length) },
        obtainedAt: ctx.now(),
      };
    },
    async getCredentials(ctx) {
      const cached = cache.get(ctx.instance.id);
      if (cached !== undefined) return cached;
      const entry = await ctx.store.get(storeKeys.credentials(ctx.instance.id));
      if (entry === undefined)
        throw new SpliceError('REAUTHORIZATION_REQUIRED', 'no credentials stored');
      const credentials = entry.value as unknown as Credentials;
      cache.set(ctx.instance.id, credentials);
      return credentials;
    },
    async refresh(ctx) {
      cache.delete(ctx.instance.id);
      return this.getCredentials(ctx);
    },
    forget(id) {
      cache.delete(id);
    },
  };
}

const connector: ConnectorDefinition = {
  id: 'keyed',
  name: 'Keyed',
  version: '1',
  variables: [],
  authMethods: [
    {
      id: 'key',
      name: 'API key',
      type: 'api-key',
      timeoutSeconds: 30,
      variables: [],
      urls: {},
      request: { query: {}, headers: {}, body: {} },
    },
  ],
  endpoints: [],
};

describeStrategyConformance({
  name: 'a custom api-key strategy',
  strategy: apiKeyAuth,
  setup: async () => ({ connector, values: { api_key: 'key-123456789' } }),
});
