import { type Exchange, sendRequest } from '@splice/http';
import type { Dispatcher } from 'undici';
import type { Send } from './EndpointCall.js';

/**
 * The bottom of the pipeline: sends the request the auth layer prepared through the HTTP edge
 * (`sendRequest`: no redirect followed, the body read but never beyond `maxBytes`, undici errors
 * mapped to `ENDPOINT_REQUEST_FAILED` / `TIMEOUT`). The per-call timeout travels on the request as
 * undici's `headersTimeout`/`bodyTimeout`.
 *
 * @example
 * ```ts
 * const transport = createTransport(new Agent(), 16 * 1024 * 1024);
 * ```
 */
export function createTransport(dispatcher: Dispatcher, maxBytes: number): Send {
  const exchange: Exchange = {
    failure: 'ENDPOINT_REQUEST_FAILED',
    subject: 'The endpoint request',
    maxBytes,
    tooLargeHint:
      'Raise "maxResponseBytes" in createRuntime() if this endpoint really returns that much.',
  };
  return (call) => sendRequest(dispatcher, call.request!, exchange);
}
