import { SpliceError } from '@splice/core';
import type { Dispatcher } from 'undici';
import type { EndpointResponse, Transport } from './EndpointCall.js';
import { transportError } from './transportError.js';

function tooLarge(maxBytes: number): SpliceError {
  return new SpliceError(
    'ENDPOINT_REQUEST_FAILED',
    `The endpoint's response body is larger than ${maxBytes} bytes and was not read. Raise "maxResponseBytes" in createRuntime() if this endpoint really returns that much.`,
    { details: { reason: 'response_too_large', maxResponseBytes: maxBytes } },
  );
}

// The body of a response without Content-Length (chunked), read chunk by chunk up to the bound.
async function readChunked(data: Dispatcher.ResponseData, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of data.body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      data.body.destroy();
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/**
 * The transport layer: one HTTP exchange through an undici dispatcher (keep-alive `Agent` by
 * default), the body read whole but never beyond `maxBytes`. The per-call timeout travels on the
 * request as undici's `headersTimeout`/`bodyTimeout`; both map to `TIMEOUT`.
 *
 * @example
 * ```ts
 * const send = createTransport(new Agent(), 1 << 20);
 * const { status, body } = await send({ origin: 'http://127.0.0.1:8080', path: '/', method: 'GET' });
 * ```
 */
export function createTransport(dispatcher: Dispatcher, maxBytes: number): Transport {
  return async function transport(request): Promise<EndpointResponse> {
    try {
      const data = await dispatcher.request(request);
      const length = data.headers['content-length'];
      let body: string;
      if (typeof length !== 'string') body = await readChunked(data, maxBytes);
      else if (Number(length) <= maxBytes) {
        // undici holds the body to its Content-Length, so the declared size is the bound.
        body = await data.body.text();
      } else {
        data.body.destroy();
        throw tooLarge(maxBytes);
      }
      return { status: data.statusCode, headers: data.headers, body };
    } catch (error) {
      throw transportError(error, request.headersTimeout ?? 0);
    }
  };
}
