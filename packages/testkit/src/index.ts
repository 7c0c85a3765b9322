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
  startAuthorizationServer,
} from './authorizationServer/startAuthorizationServer.js';
export {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  checkChromium,
  checkRedis,
  type ServiceCheck,
} from './environment.js';
export {
  type ResourceServer,
  type ResourceServerCounts,
  type ResourceServerEcho,
  type ResourceServerOptions,
  startResourceServer,
} from './resourceServer/startResourceServer.js';
