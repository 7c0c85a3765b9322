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
export { createAuthLayer } from './pipeline/authLayer.js';
export type {
  CallTarget,
  EndpointCall,
  EndpointResponse,
  ResponseHeaders,
  Send,
  Transport,
} from './pipeline/EndpointCall.js';
export { createRateLimitLayer, limiterOptions } from './pipeline/rateLimitLayer.js';
export { retryAfterMs } from './pipeline/retryAfter.js';
export { createRetryLayer } from './pipeline/retryLayer.js';
export { createTransport, transportError } from './pipeline/transportLayer.js';
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
