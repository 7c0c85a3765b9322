export {
  type CompleteConsentOptions,
  completeConsent,
} from './authorizationServer/completeConsent.js';
export {
  type AccessTokenClaims,
  type AuthorizationServer,
  type AuthorizationServerClient,
  type AuthorizationServerCounts,
  type AuthorizationServerOptions,
  type ClientAuthMethod,
  type PrivateJwk,
  startAuthorizationServer,
  type TokenRequestRecord,
} from './authorizationServer/startAuthorizationServer.js';
export {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  checkChromium,
  checkOpenssl,
  checkRedis,
  type ServiceCheck,
} from './environment.js';
export { freePort } from './freePort.js';
export {
  type OAuth1Credentials,
  type OAuth1Problem,
  type OAuth1Provider,
  type OAuth1ProviderCounts,
  type OAuth1ProviderEcho,
  type OAuth1ProviderOptions,
  type OAuth1ProviderRequest,
  startOAuth1Provider,
} from './oauth1Provider/startOAuth1Provider.js';
export {
  type ResourceServer,
  type ResourceServerAnswer,
  type ResourceServerCounts,
  type ResourceServerEcho,
  type ResourceServerHandler,
  type ResourceServerKey,
  type ResourceServerOptions,
  type ResourceServerRequest,
  startResourceServer,
} from './resourceServer/startResourceServer.js';
export {
  type ProviderProfile,
  providerProfiles,
  startProviderProfile,
} from './simulator/profiles/index.js';
export {
  DEFAULT_SIMULATOR_QUIRKS,
  type ProviderSimulator,
  type ProviderSimulatorOptions,
  type SimulatorCounts,
  type SimulatorQuirks,
  type SimulatorRequest,
  startProviderSimulator,
} from './simulator/startProviderSimulator.js';
export {
  createFaultyStore,
  type FaultyStore,
  type StoreFault,
} from './store/createFaultyStore.js';
