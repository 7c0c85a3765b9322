// A built-in connector against its provider profile, through the public runtime: the lifecycle
// tests of every provider share it.
import { type Instance, MemoryStore, SpliceError, type Store } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import {
  completeConsent,
  type ProviderSimulator,
  providerProfiles,
  type SimulatorRequest,
  startProviderProfile,
} from '@splice/testkit';
import { expect, onTestFinished } from 'vitest';
import { type ConnectorName, loadBuiltInConnector } from '../../src/index.js';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback';

/** The simulator with the provider's profile and a runtime holding the built-in connector. */
export interface ProviderWorld {
  readonly sim: ProviderSimulator;
  readonly runtime: Runtime;
  /** Adds (or, with `instanceId`, renews) an instance through the consent redirect. */
  consent(input?: { readonly instanceId?: string }): Promise<Instance>;
  /** Every `reauthorizationRequired` event so far, by instance id. */
  readonly reauthorizationEvents: string[];
  /** The authorisation URLs `consent` opened, oldest first. */
  readonly authorizationUrls: string[];
}

/** Starts the world for the running test; it is closed when that test finishes. */
export async function startProviderWorld(
  name: ConnectorName & keyof typeof providerProfiles,
  options: {
    /** The method to consent with; default the first. */
    readonly authMethodId?: string;
    /** Instance variables besides the client credentials. */
    readonly variables?: Readonly<Record<string, string>>;
    /** The runtime's store; default a new `MemoryStore` (pass one to share it with another runtime). */
    readonly store?: Store;
    /** The simulator's epoch-ms clock; default `Date.now` (advance it to age the provider's grants). */
    readonly simulatorNow?: () => number;
  } = {},
): Promise<ProviderWorld> {
  const profile = providerProfiles[name];
  const sim = await startProviderProfile(profile, {
    redirectUris: [CALLBACK],
    ...(options.simulatorNow === undefined ? {} : { now: options.simulatorNow }),
  });
  const strategies = [oauth2AuthorizationCode({ retryMinDelayMs: 5, retryMaxDelayMs: 20 })];
  const connector = loadBuiltInConnector(name, {
    strategies,
    replaceUrls: profile.replaceUrls(sim),
  });
  const method =
    options.authMethodId === undefined
      ? connector.authMethods[0]
      : connector.authMethods.find((m) => m.id === options.authMethodId);
  if (method === undefined) throw new Error(`${name} has no auth method`);
  const runtime = createRuntime({
    connectors: [connector],
    strategies,
    store: options.store ?? new MemoryStore(),
    callbackUrl: CALLBACK,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
  });
  onTestFinished(async () => {
    await runtime.close();
    await sim.close();
  });
  const reauthorizationEvents: string[] = [];
  const authorizationUrls: string[] = [];
  runtime.on('reauthorizationRequired', (instance) => {
    reauthorizationEvents.push(instance.id);
  });
  return {
    sim,
    runtime,
    reauthorizationEvents,
    authorizationUrls,
    async consent(input = {}) {
      const start = await runtime.beginAuthorization(
        input.instanceId === undefined
          ? {
              connectorId: connector.id,
              authMethodId: method.id,
              name: `${connector.name} test`,
              variables: {
                client_id: sim.clientId,
                client_secret: sim.clientSecret,
                ...options.variables,
              },
            }
          : { instanceId: input.instanceId },
      );
      authorizationUrls.push(start.authorizationUrl);
      return runtime.completeAuthorization(await completeConsent(start.authorizationUrl));
    },
  };
}

/** The SpliceError a promise rejects with (anything else fails the test). */
export async function rejection(promise: Promise<unknown>): Promise<SpliceError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!SpliceError.is(outcome)) throw new Error(`expected a SpliceError, got ${String(outcome)}`);
  return outcome;
}

/** What the simulator's API echoes back. */
export interface Echo {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** One endpoint call of a lifecycle: the endpoint, its input, and the method and path expected. */
export type ExpectedCall = readonly [
  endpointId: string,
  method: string,
  path: string,
  input?: Parameters<Runtime['callEndpoint']>[2],
];

/** Calls each endpoint, checks the method and path the provider received, returns the echoes. */
export async function callEach(
  world: ProviderWorld,
  instance: Instance,
  calls: readonly ExpectedCall[],
): Promise<Echo[]> {
  const echoes: Echo[] = [];
  for (const [id, method, path, input] of calls) {
    const { data } = await world.runtime.callEndpoint<Echo>(instance, id, input);
    expect([data.method, data.path]).toEqual([method, path]);
    echoes.push(data);
  }
  return echoes;
}

/**
 * Expires the access tokens server-side `rounds` times, calling `endpointId` after each: one
 * refresh per round and none refused (so with rotation, the newest refresh token was kept).
 */
export async function expectRefreshOnExpiry(
  world: ProviderWorld,
  instance: Instance,
  endpointId: string,
  rounds: number,
): Promise<Echo[]> {
  const { sim, runtime } = world;
  sim.resetCounts();
  const echoes: Echo[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    sim.expireAccessTokens();
    echoes.push((await runtime.callEndpoint<Echo>(instance, endpointId)).data);
    expect(sim.counts.refreshToken).toBe(round);
  }
  expect(sim.counts.invalidGrant).toBe(0);
  return echoes;
}

/**
 * Kills the grant (`kill`; default: refresh tokens revoked, access tokens expired): two calls are
 * both `REAUTHORIZATION_REQUIRED`, the provider refused exactly one refresh, and
 * `reauthorizationRequired` fired once for the instance. Returns the refused refresh's record.
 */
export async function expectDeadGrant(
  world: ProviderWorld,
  instance: Instance,
  endpointId: string,
  kill: () => void = () => {
    world.sim.revokeRefreshTokens();
    world.sim.expireAccessTokens();
  },
): Promise<SimulatorRequest | undefined> {
  const { sim, runtime } = world;
  kill();
  sim.resetCounts();
  for (let i = 0; i < 2; i += 1) {
    expect((await rejection(runtime.callEndpoint(instance, endpointId))).code).toBe(
      'REAUTHORIZATION_REQUIRED',
    );
  }
  expect(sim.counts.invalidGrant).toBe(1);
  expect((await runtime.getInstance(instance.id))?.status).toBe('reauthorization_required');
  expect(world.reauthorizationEvents).toEqual([instance.id]);
  return sim.requests.find((r) => r.grant === 'refresh_token');
}

/**
 * Renews the instance through the consent redirect (`beginAuthorization({ instanceId })`),
 * expects it active under the same id, and calls `endpointId` with it.
 */
export async function expectRenewal(
  world: ProviderWorld,
  instance: Instance,
  endpointId: string,
  input?: ExpectedCall[3],
): Promise<{ readonly renewed: Instance; readonly echo: Echo }> {
  const renewed = await world.consent({ instanceId: instance.id });
  expect([renewed.id, renewed.status]).toEqual([instance.id, 'active']);
  const { data } = await world.runtime.callEndpoint<Echo>(renewed, endpointId, input);
  return { renewed, echo: data };
}
