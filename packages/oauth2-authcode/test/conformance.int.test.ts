import {
  type ProviderSimulator,
  startAuthorizationServer,
  startProviderSimulator,
} from '@splice/testkit';
import { describeStrategyConformance } from '@splice/testkit/conformance';
import { oauth2AuthorizationCode } from '../src/index.js';
import { CALLBACK, oauthConnector } from './support.js';

describeStrategyConformance({
  name: 'oauth2-authorization-code against the provider simulator',
  strategy: () => oauth2AuthorizationCode(),
  setup: async () => {
    const sim: ProviderSimulator = await startProviderSimulator({ redirectUris: [CALLBACK] });
    return {
      connector: oauthConnector({ authorise: sim.authorizationUrl, token: sim.tokenUrl }),
      values: { client_id: sim.clientId, client_secret: sim.clientSecret },
      callbackUrl: CALLBACK,
      teardown: () => sim.close(),
    };
  },
});

describeStrategyConformance({
  name: 'oauth2-authorization-code against oidc-provider',
  strategy: () => oauth2AuthorizationCode(),
  setup: async () => {
    const server = await startAuthorizationServer({
      clients: [
        {
          clientId: 'conformance',
          redirectUris: [CALLBACK],
          tokenEndpointAuthMethod: 'client_secret_basic',
        },
      ],
    });
    const client = server.clients[0]!;
    return {
      connector: oauthConnector({ authorise: server.authorizationUrl, token: server.tokenUrl }),
      values: {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        scope: 'api.read',
      },
      callbackUrl: CALLBACK,
      teardown: () => server.close(),
    };
  },
});
