export type { RequestPreview } from './calls/RequestPreview.js';
export type { AuthServices } from './catalog/AuthServices.js';
export type {
  CompiledConnector,
  CompiledEndpoint,
  CompiledMethod,
} from './catalog/CompiledConnector.js';
export { loadConnector } from './catalog/loadConnector.js';
export type { CredentialState, CredentialStatus } from './connections/CredentialStatus.js';
export type { CallbackInput } from './connections/callbackParams.js';
export {
  createInstanceLifecycle,
  type InstanceLifecycle,
  type InstanceLifecycleOptions,
} from './connections/createInstanceLifecycle.js';
export {
  PENDING_AUTHORIZATION_TTL_MS,
  type PendingAuthorization,
} from './connections/PendingAuthorization.js';
export { RuntimeServices } from './container/RuntimeServices.js';
export type { RuntimeSettings } from './container/RuntimeSettings.js';
export { DEFAULT_CONNECTIONS_PER_ORIGIN } from './container/runtimeModule.js';
export { createRuntime } from './createRuntime.js';
export type { RuntimeEvents } from './events/RuntimeEvents.js';
export { composePipeline } from './pipeline/composePipeline.js';
export { createAuthLayer } from './pipeline/createAuthLayer.js';
export { createRateLimitLayer } from './pipeline/createRateLimitLayer.js';
export { createRetryLayer } from './pipeline/createRetryLayer.js';
export { createTransport } from './pipeline/createTransport.js';
export type { CallIds, EndpointCall, Layer, Send } from './pipeline/EndpointCall.js';
export { limiterOptions } from './pipeline/limiterOptions.js';
export type { Runtime } from './Runtime.js';
export type {
  AddInstanceInput,
  AuthorizationStart,
  CallInput,
  EndpointResult,
  InstanceChanges,
  LimiterFactory,
  ReauthorizeInput,
  RetryOptions,
  RuntimeOptions,
} from './RuntimeOptions.js';
