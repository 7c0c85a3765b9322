// Builds strategy harnesses against the provider simulator.
import type { AuthMethodDefinition, Store } from '@splice/core';
import type { ProviderSimulator } from '@splice/testkit';
import { createStrategyHarness, type StrategyHarness } from '@splice/testkit/conformance';
import { type OAuth2AuthorizationCodeOptions, oauth2AuthorizationCode } from '../src/index.js';
import { type Audit, CALLBACK, oauthConnector } from './support.js';

export interface SimulatedOptions {
  readonly values?: Record<string, string>;
  readonly method?: Partial<Omit<AuthMethodDefinition, 'urls'>>;
  readonly urls?: Record<string, string>;
  readonly store?: Store;
  readonly now?: () => number;
  readonly options?: OAuth2AuthorizationCodeOptions;
}

/** A harness for `oauth2AuthorizationCode()` pointed at `sim`, audited by `audit`. */
export function simulated(
  sim: ProviderSimulator,
  audit: Audit,
  settings: SimulatedOptions = {},
): StrategyHarness {
  audit.secret(sim.clientSecret);
  return createStrategyHarness({
    strategy: audit.watch(
      oauth2AuthorizationCode({ retryMinDelayMs: 5, retryMaxDelayMs: 20, ...settings.options }),
    ),
    connector: oauthConnector(
      settings.urls ?? { authorise: sim.authorizationUrl, token: sim.tokenUrl },
      settings.method ?? {},
    ),
    values: { client_id: sim.clientId, client_secret: sim.clientSecret, ...settings.values },
    callbackUrl: CALLBACK,
    logger: audit.logger,
    ...(settings.store === undefined ? {} : { store: settings.store }),
    ...(settings.now === undefined ? {} : { now: settings.now }),
  });
}

/** Rejection of `promise` as an Error (fails when it resolves). */
export async function rejectionOf(
  promise: Promise<unknown>,
): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected a rejection, got a result');
  return outcome as Error & { code?: string; details?: Record<string, unknown> };
}
