export type {
  CompiledConnector,
  CompiledEndpoint,
  CompiledMethod,
} from './connector/CompiledConnector.js';
export { compileConnector } from './connector/compileConnector.js';
export { RuntimeServices } from './container/RuntimeServices.js';
export type { RetryPolicy, RuntimeSettings } from './container/RuntimeSettings.js';
export { createRuntime } from './createRuntime.js';
export type { RuntimeEvents } from './events/RuntimeEvents.js';
export type { CallbackInput } from './instance/callbackParams.js';
export { createAuthLayer } from './pipeline/createAuthLayer.js';
export { createRateLimitLayer } from './pipeline/createRateLimitLayer.js';
export { createRetryLayer } from './pipeline/createRetryLayer.js';
export { createTransport } from './pipeline/createTransport.js';
export type {
  CallTarget,
  EndpointCall,
  EndpointResponse,
  ResponseHeaders,
  Send,
  Transport,
} from './pipeline/EndpointCall.js';
export { limiterOptions } from './pipeline/limiterOptions.js';
export { retryAfterMs } from './pipeline/retryAfterMs.js';
export { transportError } from './pipeline/transportError.js';
export { Runtime, type RuntimeDependencies } from './Runtime.js';
export type {
  AddInstanceInput,
  AuthorizationStart,
  CallInput,
  EndpointResult,
  LimiterFactory,
  ReauthorizeInput,
  RetryOptions,
  RuntimeOptions,
} from './RuntimeOptions.js';
