import { SpliceError } from '@splice/core';
import type { Dispatcher } from 'undici';
import type { Exchange } from './Exchange.js';
import type { HttpResponse, ResponseHeaders } from './HttpResponse.js';
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

const NO_CHUNKS: readonly Buffer[] = [];

// What an abort rejects with when the signal carries no reason of its own (an `AbortSignal`
// always does): an `AbortError`, which `networkFailure` passes through like the signal's own.
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

// The body's text: UTF-8; a body the server declared a Content-Length for loses a leading BOM
// (as undici's `body.text()` did for it), a chunked one is decoded as it came.
function decode(chunks: readonly Buffer[], size: number, declared: boolean): string {
  if (size === 0) return '';
  const buffer = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  const bom =
    declared && size > 2 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf;
  return buffer.toString('utf8', bom ? 3 : 0, size);
}

/**
 * undici's handler for one exchange, collecting the answer into an {@link HttpResponse}: the body
 * is kept as the chunks arrive (no stream, no async resource per request) up to `maxBytes`, and
 * the request is aborted — the connection dropped, the rest unread — as soon as the declared or
 * received size is over it. The caller's signal aborts it as undici's `request` does: with the
 * signal's reason, before or during the answer.
 */
class Collector implements Dispatcher.DispatchHandler {
  readonly #exchange: Exchange;
  readonly #signal: AbortSignal | undefined;
  readonly #resolve: (response: HttpResponse) => void;
  readonly #reject: (error: unknown) => void;
  #controller: Dispatcher.DispatchController | undefined;
  #aborted: unknown;
  readonly #bodiless: boolean;
  #status = 0;
  #headers: ResponseHeaders = {};
  #declared = false;
  #chunks: Buffer[] = NO_CHUNKS as Buffer[];
  #size = 0;

  constructor(
    exchange: Exchange,
    method: string,
    signal: AbortSignal | undefined,
    resolve: (response: HttpResponse) => void,
    reject: (error: unknown) => void,
  ) {
    this.#exchange = exchange;
    this.#bodiless = method.toUpperCase() === 'HEAD';
    this.#signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
    if (signal !== undefined) signal.addEventListener('abort', this, { once: true });
  }

  /** The signal's `abort` event (the collector is its listener object). */
  handleEvent(): void {
    this.#aborted = abortReason(this.#signal!);
    this.#controller?.abort(this.#aborted as Error);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    // Called again when undici resends a request a broken pipeline never answered.
    this.#controller = controller;
    this.#chunks = NO_CHUNKS as Buffer[];
    this.#size = 0;
    if (this.#aborted !== undefined) controller.abort(this.#aborted as Error);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: ResponseHeaders,
  ): void {
    if (statusCode < 200) return; // 1xx: informational, the answer follows
    this.#status = statusCode;
    this.#headers = headers;
    const length = headers['content-length'];
    this.#declared = typeof length === 'string';
    // undici holds the body to its Content-Length, so the declared size is the bound; the answer
    // to a HEAD has no body, its Content-Length is the resource's (RFC 9110 §9.3.2).
    if (this.#declared && !this.#bodiless && Number(length) > this.#exchange.maxBytes) {
      controller.abort(tooLarge(this.#exchange));
    }
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size > this.#exchange.maxBytes) {
      controller.abort(tooLarge(this.#exchange));
      return;
    }
    if (this.#chunks === NO_CHUNKS) this.#chunks = [chunk];
    else this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    this.#signal?.removeEventListener('abort', this);
    this.#resolve({
      status: this.#status,
      headers: this.#headers,
      body: decode(this.#chunks, this.#size, this.#declared),
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    this.#signal?.removeEventListener('abort', this);
    this.#reject(error);
  }
}

/**
 * One HTTP exchange through an undici dispatcher, made with `dispatch` (which every `Dispatcher`
 * has: an `Agent`, a `Pool`, a `MockAgent`, a composed one) and a collecting handler rather than
 * undici's `request`, whose response stream and async resource cost more CPU per call than the
 * exchange itself adds. Redirects are never followed whatever the dispatcher (`maxRedirections: 0`
 * turns undici's redirect interceptor off for this request; a 3xx is an answer like any other; a
 * request that already carries it is sent without a copy); a 1xx is skipped for the answer that
 * follows; the body is read whole but never beyond `exchange.maxBytes` (declared or streamed) and
 * decoded as UTF-8 (a leading BOM dropped when a Content-Length was declared); failures are mapped
 * by {@link networkFailure}. `request.signal` (an `AbortSignal`) aborts the exchange at any point
 * before the answer's end. No retry here: see `RetryRule`.
 *
 * Errors: `exchange.failure` (network failure, `details.reason: 'network'`; or an oversized
 * answer, `details.reason: 'response_too_large'`), `TIMEOUT` (undici's `headersTimeout` /
 * `bodyTimeout`), the abort reason of `request.signal`, or a `TypeError` with code
 * `INVALID_OPTION` when `dispatcher` is an undici before 7 (it refuses the handler; nothing sent).
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
  const options =
    (request as { maxRedirections?: number }).maxRedirections === 0
      ? request
      : ({ ...request, maxRedirections: 0 } as Dispatcher.RequestOptions);
  const signal = (request.signal ?? undefined) as AbortSignal | undefined;
  try {
    return await new Promise<HttpResponse>((resolve, reject) => {
      if (signal?.aborted === true) {
        reject(abortReason(signal));
        return;
      }
      const collector = new Collector(exchange, request.method, signal, resolve, reject);
      // A dispatcher that throws instead of calling the handler (an older undici refusing it):
      // settled through the handler, so its listener leaves the caller's signal.
      try {
        dispatcher.dispatch(options, collector);
      } catch (error) {
        collector.onResponseError(undefined, error as Error);
      }
    });
  } catch (error) {
    throw networkFailure(error, exchange, request.headersTimeout ?? 0);
  }
}
