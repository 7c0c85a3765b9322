import { SpliceError } from '@splice/core';
import type { Dispatcher } from 'undici';
import type { Exchange } from './Exchange.js';
import type { HttpResponse } from './HttpResponse.js';
import { networkFailure } from './networkFailure.js';

function tooLarge(exchange: Exchange): SpliceError {
  return new SpliceError(
    exchange.failure,
    `${exchange.subject} answered with a body larger than ${exchange.maxBytes} bytes, which was not read.${exchange.tooLargeHint === undefined ? '' : ` ${exchange.tooLargeHint}`}`,
    {
      details: {
        ...exchange.details,
        reason: 'response_too_large',
        maxResponseBytes: exchange.maxBytes,
      },
    },
  );
}

// Closes a body that will not be read. Destroying it aborts the response, which undici reports as
// an 'error' event: nobody is reading it any more, so that error is expected and dropped.
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => {});
  body.destroy();
}

// A body without Content-Length (chunked), read chunk by chunk up to the bound.
async function readChunked(data: Dispatcher.ResponseData, exchange: Exchange): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of data.body) {
    size += (chunk as Buffer).length;
    if (size > exchange.maxBytes) {
      discard(data.body);
      throw tooLarge(exchange);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
}

/**
 * One HTTP exchange through an undici dispatcher: redirects are never followed whatever the
 * dispatcher (`maxRedirections: 0` turns undici's redirect interceptor off for this request; a 3xx
 * is an answer like any other; a request that already carries it is sent without a copy), the body is read whole but never beyond `exchange.maxBytes`
 * (declared or streamed), and failures are mapped by {@link networkFailure}. No retry here: see
 * `retrying`.
 *
 * Errors: `exchange.failure` (network failure, `details.reason: 'network'`; or an oversized
 * answer, `details.reason: 'response_too_large'`), `TIMEOUT` (undici's `headersTimeout` /
 * `bodyTimeout`), or the abort reason of `request.signal`.
 *
 * @example
 * ```ts
 * const response = await sendRequest(agent, { origin: 'https://api.example', path: '/orders',
 *   method: 'GET' }, { failure: 'ENDPOINT_REQUEST_FAILED', subject: 'The endpoint request',
 *   maxBytes: 16 << 20 });
 * ```
 */
export async function sendRequest(
  dispatcher: Dispatcher,
  request: Dispatcher.RequestOptions,
  exchange: Exchange,
): Promise<HttpResponse> {
  try {
    const data = await dispatcher.request(
      (request as { maxRedirections?: number }).maxRedirections === 0
        ? request
        : ({ ...request, maxRedirections: 0 } as Dispatcher.RequestOptions),
    );
    const length = data.headers['content-length'];
    let body: string;
    if (typeof length !== 'string') body = await readChunked(data, exchange);
    else if (Number(length) <= exchange.maxBytes) {
      // undici holds the body to its Content-Length, so the declared size is the bound.
      body = await data.body.text();
    } else {
      discard(data.body);
      throw tooLarge(exchange);
    }
    return { status: data.statusCode, headers: data.headers, body };
  } catch (error) {
    throw networkFailure(error, exchange, request.headersTimeout ?? 0);
  }
}
