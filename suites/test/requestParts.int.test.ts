// Request parts where the platform sends them, through the public runtime against the provider
// simulator: an auth method's URL-parameter tab goes on the authorisation URL only, its header and
// body tabs on token requests and endpoint requests, its tokenRequest parts on token requests only.
// Reduced reports: Google's access_type=offline&prompt=consent rejected by every Drive call (400),
// and an Entra `scope` / Auth0 `audience` merged into every endpoint's JSON body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatedProvider, startSimulatedProvider } from './support/simulatedProvider.js';

interface Echo {
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
}

let world: SimulatedProvider;

beforeAll(async () => {
  world = await startSimulatedProvider({
    method: {
      request: {
        query: { access_type: 'offline', prompt: 'consent' },
        headers: { 'X-Api-Version': '2024-01' },
        body: { tenant: 'contoso' },
      },
      tokenRequest: {
        headers: { 'X-Token-Only': 'yes' },
        body: { scope: 'offline_access Files.Read', audience: 'https://api.example.com' },
      },
    },
  });
});

afterAll(async () => {
  await world.close();
});

describe('request parts of an auth method', () => {
  it('puts the URL-parameter tab on the authorisation URL, and on no token or API request', async () => {
    const { sim, runtime } = world;
    const { authorizationUrl } = await runtime.beginAuthorization({
      connectorId: 'sim',
      authMethodId: 'oauth',
      name: 'Google-like',
      variables: { client_id: sim.clientId, client_secret: sim.clientSecret },
    });
    const params = new URL(authorizationUrl).searchParams;
    expect(params.get('access_type')).toBe('offline');
    expect(params.get('prompt')).toBe('consent');

    sim.resetCounts();
    const instance = await world.add();
    const { data } = await runtime.callEndpoint<Echo>(instance, 'get', {
      query: { page: '2' },
    });
    expect(data.query).toEqual({ page: '2' });
    const exchange = sim.requests.find((r) => r.grant === 'authorization_code')!;
    expect(exchange.params).not.toHaveProperty('access_type');
    expect(exchange.params).not.toHaveProperty('prompt');
  });

  it('sends tokenRequest parts on the exchange and every refresh, never to an endpoint', async () => {
    const { sim, runtime } = world;
    sim.resetCounts();
    const instance = await world.add();
    const exchange = sim.requests.find((r) => r.grant === 'authorization_code')!;
    expect(exchange.params).toMatchObject({
      scope: 'offline_access Files.Read',
      audience: 'https://api.example.com',
      tenant: 'contoso',
    });
    expect(exchange.headers['x-token-only']).toBe('yes');
    expect(exchange.headers['x-api-version']).toBe('2024-01');

    const { data: got } = await runtime.callEndpoint<Echo>(instance, 'get');
    expect(got.headers['x-api-version']).toBe('2024-01');
    expect(got.headers).not.toHaveProperty('x-token-only');
    const { data: posted } = await runtime.callEndpoint<Echo>(instance, 'post');
    // The method's body tab is merged into endpoint bodies; its tokenRequest body never is.
    expect(JSON.parse(posted.body)).toEqual({ tenant: 'contoso', name: 'report.txt' });

    sim.expireAccessTokens();
    const { status } = await runtime.callEndpoint<Echo>(instance, 'get');
    expect(status).toBe(200);
    const refresh = sim.requests.find((r) => r.grant === 'refresh_token')!;
    expect(refresh.params).toMatchObject({
      scope: 'offline_access Files.Read',
      audience: 'https://api.example.com',
    });
    expect(refresh.headers['x-token-only']).toBe('yes');
    const apiCalls = sim.requests.filter((r) => r.path.startsWith('/api'));
    expect(apiCalls.length).toBe(4); // get, post, the refused get, its replay
    for (const call of apiCalls) expect(call.headers).not.toHaveProperty('x-token-only');
  });
});
