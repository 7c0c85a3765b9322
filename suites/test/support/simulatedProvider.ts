// One OAuth 2 connector against the testkit's provider simulator, through the public runtime: the
// suites that reproduce real providers' behaviour (request parts, error dialects) share it.
import { type Instance, MemoryStore, parseConnector } from '@splice/core';
import { createRuntime, type Runtime, type RuntimeOptions } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import {
  completeConsent,
  type ProviderSimulator,
  type SimulatorQuirks,
  startProviderSimulator,
} from '@splice/testkit';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback';

/** A simulator, a runtime with one connector `sim` (method `oauth`) on it, and helpers. */
export interface SimulatedProvider {
  readonly sim: ProviderSimulator;
  readonly runtime: Runtime;
  /** Adds an instance through the redirect flow (begin, the simulator's consent, complete). */
  add(variables?: Readonly<Record<string, string>>): Promise<Instance>;
  close(): Promise<void>;
}

/** What differs between the suites' simulated connectors. */
export interface SimulatedProviderInput {
  readonly quirks?: Partial<SimulatorQuirks>;
  /** Fields laid over the auth method (request, tokenRequest, dialect, apply, variables...). */
  readonly method?: Readonly<Record<string, unknown>>;
  readonly runtime?: Partial<RuntimeOptions>;
}

/**
 * Starts the simulator and a runtime with a connector whose endpoints are `get` (GET
 * `<api>/files`) and `post` (POST `<api>/files`); the simulator's API echoes what it received.
 *
 * @example
 * ```ts
 * const world = await startSimulatedProvider({ method: { request: { query: { prompt: 'consent' } } } });
 * const instance = await world.add();
 * ```
 */
export async function startSimulatedProvider(
  input: SimulatedProviderInput = {},
): Promise<SimulatedProvider> {
  const sim = await startProviderSimulator({
    redirectUris: [CALLBACK],
    ...(input.quirks === undefined ? {} : { quirks: input.quirks }),
  });
  const strategy = oauth2AuthorizationCode({ retryMinDelayMs: 5, retryMaxDelayMs: 20 });
  const connector = parseConnector(
    {
      id: 'sim',
      name: 'Simulated provider',
      version: '1',
      authMethods: [
        {
          id: 'oauth',
          name: 'OAuth',
          type: 'oauth2-authorization-code',
          timeoutSeconds: 10,
          urls: { authorise: sim.authorizationUrl, token: sim.tokenUrl },
          ...input.method,
        },
      ],
      endpoints: [
        {
          id: 'get',
          name: 'List files',
          method: 'GET',
          url: `${sim.apiUrl}/files`,
          authMethods: ['oauth'],
        },
        {
          id: 'post',
          name: 'Create file',
          direction: 'send',
          method: 'POST',
          url: `${sim.apiUrl}/files`,
          request: { body: { name: 'report.txt' } },
          authMethods: ['oauth'],
        },
      ],
    },
    { strategies: [strategy] },
  );
  const runtime = createRuntime({
    connectors: [connector],
    strategies: [strategy],
    store: new MemoryStore(),
    callbackUrl: CALLBACK,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
    ...input.runtime,
  });
  return {
    sim,
    runtime,
    async add(variables = {}) {
      const { authorizationUrl } = await runtime.beginAuthorization({
        connectorId: 'sim',
        authMethodId: 'oauth',
        name: 'Simulated',
        variables: { client_id: sim.clientId, client_secret: sim.clientSecret, ...variables },
      });
      return runtime.completeAuthorization(await completeConsent(authorizationUrl));
    },
    async close() {
      await runtime.close();
      await sim.close();
    },
  };
}
