// An instance added headlessly with `oauth_authorised_code` (a code obtained elsewhere): the code
// is spent by the exchange and never kept with the instance (RFC 6749 §4.1.2, §10.5).
import { MemoryStore, storeKeys } from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { startProviderSimulator } from '@splice/testkit';
import { expect, it } from 'vitest';
import { oauthConnector } from './support/connector.js';

const CALLBACK = 'http://127.0.0.1:1/callback';

it('exchanges oauth_authorised_code, calls with the tokens, and saves no trace of the code', async () => {
  const sim = await startProviderSimulator({ redirectUris: [CALLBACK] });
  const store = new MemoryStore();
  const strategy = oauth2AuthorizationCode();
  const runtime = createRuntime({
    connectors: [
      oauthConnector(strategy, {
        authorise: sim.authorizationUrl,
        token: sim.tokenUrl,
        api: sim.apiUrl,
        variables: [{ key: 'pkce', default: 'none' }],
        endpoints: { me: `${sim.apiUrl}/me` },
      }),
    ],
    strategies: [strategy],
    store,
    callbackUrl: CALLBACK,
  });
  try {
    const code = sim.issueCode(CALLBACK);
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'oauth',
      name: 'Headless',
      variables: {
        client_id: sim.clientId,
        client_secret: sim.clientSecret,
        oauth_authorised_code: code,
      },
    });
    expect(sim.counts.authorizationCode).toBe(1);
    expect((await runtime.callEndpoint(instance.id, 'me')).status).toBe(200);
    expect(instance.variables).not.toHaveProperty('oauth_authorised_code');
    const record = await store.get(storeKeys.instance(instance.id));
    expect(JSON.stringify(record)).not.toContain(code);
    for (const key of await store.keys('')) {
      expect(JSON.stringify(await store.get(key)), key).not.toContain(code);
    }
  } finally {
    await runtime.close();
    await sim.close();
  }
});
