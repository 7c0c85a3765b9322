export type { Exchange } from './Exchange.js';
export type { HttpResponse, ResponseHeaders } from './HttpResponse.js';
export { isRetryableStatus, mayRetryFailure, networkFailure, safeCause } from './networkFailure.js';
export type { RetryPolicy } from './RetryPolicy.js';
export { type RetryNotice, type RetryRequest, RetryRule } from './RetryRule.js';
export { retryAfterMs } from './retryAfterMs.js';
export { sendRequest } from './sendRequest.js';
export {
  type DeadlineRequest,
  type DeadlineResponse,
  sendWithDeadline,
} from './sendWithDeadline.js';
export { UndiciAgent, undiciGlobalDispatcher } from './undiciDispatchers.js';
