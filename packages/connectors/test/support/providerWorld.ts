// A built-in connector against its provider profile, through the public runtime: the lifecycle
// tests of every provider share it.
import { type Instance, MemoryStore, SpliceError } from '@splice/core';
import { createRuntime, type Runtime } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import {
  completeConsent,
  type ProviderSimulator,
  providerProfiles,
  startProviderProfile,
} from '@splice/testkit';
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
  close(): Promise<void>;
}

export async function startProviderWorld(
  name: ConnectorName & keyof typeof providerProfiles,
): Promise<ProviderWorld> {
  const profile = providerProfiles[name];
  const sim = await startProviderProfile(profile, { redirectUris: [CALLBACK] });
  const strategies = [oauth2AuthorizationCode({ retryMinDelayMs: 5, retryMaxDelayMs: 20 })];
  const connector = loadBuiltInConnector(name, {
    strategies,
    replaceUrls: profile.replaceUrls(sim),
  });
  const method = connector.authMethods[0];
  if (method === undefined) throw new Error(`${name} has no auth method`);
  const runtime = createRuntime({
    connectors: [connector],
    strategies,
    store: new MemoryStore(),
    callbackUrl: CALLBACK,
    retry: { retries: 1, minDelayMs: 1, maxDelayMs: 5 },
  });
  const reauthorizationEvents: string[] = [];
  runtime.on('reauthorizationRequired', (instance) => {
    reauthorizationEvents.push(instance.id);
  });
  return {
    sim,
    runtime,
    reauthorizationEvents,
    async consent(input = {}) {
      const start = await runtime.beginAuthorization(
        input.instanceId === undefined
          ? {
              connectorId: connector.id,
              authMethodId: method.id,
              name: `${connector.name} test`,
              variables: { client_id: sim.clientId, client_secret: sim.clientSecret },
            }
          : { instanceId: input.instanceId },
      );
      return runtime.completeAuthorization(await completeConsent(start.authorizationUrl));
    },
    async close() {
      await runtime.close();
      await sim.close();
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
