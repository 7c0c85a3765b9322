import {
  type ProviderSimulator,
  type ProviderSimulatorOptions,
  type SimulatorQuirks,
  startProviderSimulator,
} from '../startProviderSimulator.js';

/**
 * What a real provider does, as the simulator reproduces it: the quirks its documentation
 * describes (token response shape, expiry and rotation, callback extras, discovery, error
 * dialects, scope separator, client authentication, PKCE) and where its API lives.
 */
export interface ProviderProfile {
  /** The built-in connector this profile simulates (`@splice/connectors` name). */
  readonly name: string;
  /** The provider documentation the quirks were written from. */
  readonly documentationUrl: string;
  /** The quirks, given the running simulator's `issuer` (for URLs the provider hands out). */
  quirks(issuer: string): Partial<SimulatorQuirks>;
  /** API path prefixes besides `/api`, as in the provider's own URLs. */
  readonly apiPaths?: readonly string[];
  /**
   * The provider's URL prefixes in the definition and their simulator counterparts, for
   * `loadBuiltInConnector(name, { replaceUrls })` and `splice auth test --replace-url FROM=TO`
   * (`@splice/core`'s `replaceUrlPrefixes`: a URL equal to a key, or the key then `/` or `?`).
   */
  replaceUrls(sim: ProviderSimulator): Readonly<Record<string, string>>;
  /**
   * Sample values of the variables an instance of the connector needs besides the client
   * credentials, where the definition has no default (Microsoft's directory `tenant`, a
   * Shopify `shop`, a NetSuite `account_id`): what the cross-connector tests, the dashboard test
   * and `splice simulate`'s printed command give. Omitted when none is needed.
   */
  readonly sampleVariables?: Readonly<Record<string, string>>;
  /**
   * The choice to record (`splice auth test --choose`, the dashboard's choice form) when a
   * post-authorization step offers several, e.g. one of the Xero organisations of `discovery`.
   * Omitted when no step offers more than one.
   */
  readonly sampleChoices?: readonly string[];
}

/**
 * Starts the provider simulator with a profile's behaviour.
 *
 * @example
 * ```ts
 * const sim = await startProviderProfile(providerProfiles.salesforce, { redirectUris: [callback] });
 * const salesforce = loadBuiltInConnector('salesforce', {
 *   strategies,
 *   replaceUrls: providerProfiles.salesforce.replaceUrls(sim),
 * });
 * ```
 */
export async function startProviderProfile(
  profile: ProviderProfile,
  options: Omit<ProviderSimulatorOptions, 'apiPaths'> = {},
): Promise<ProviderSimulator> {
  const sim = await startProviderSimulator({
    ...options,
    ...(profile.apiPaths === undefined ? {} : { apiPaths: profile.apiPaths }),
  });
  sim.setQuirks({ ...profile.quirks(sim.issuer), ...options.quirks });
  return sim;
}
