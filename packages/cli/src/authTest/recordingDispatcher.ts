import { Agent, type Dispatcher } from 'undici';

/** One response the recording dispatcher kept. Holds secrets: never print it whole. */
export interface RecordedExchange {
  readonly method: string;
  /** `origin + path` of the request (with its query). */
  readonly url: string;
  readonly status: number;
  readonly contentType: string;
  /** The response body as text. */
  readonly body: string;
}

/** An undici dispatcher that keeps the responses of the requests `record` selects. */
export interface RecordingDispatcher {
  readonly dispatcher: Dispatcher;
  /** Responses, oldest first. */
  readonly exchanges: readonly RecordedExchange[];
  close(): Promise<void>;
}

type Handler = Dispatcher.DispatchHandler;

/**
 * An undici `Agent` composed with an interceptor that copies the responses of selected requests
 * (here: the token URL), so `splice auth test` can show the shape of the token response the
 * strategy keeps to itself. Requests go to the real server unchanged: a refused connection, a DNS
 * or TLS failure reaches the strategy as it is. Kept in memory only.
 *
 * @example
 * ```ts
 * const recording = recordingDispatcher((url) => url.startsWith(tokenUrl));
 * createRuntime({ connectors, strategies, dispatcher: recording.dispatcher });
 * ```
 */
export function recordingDispatcher(record: (url: string) => boolean): RecordingDispatcher {
  const agent = new Agent();
  const exchanges: RecordedExchange[] = [];
  const dispatcher = agent.compose((dispatch) => (options, handler) => {
    const url = `${String(options.origin ?? '')}${options.path}`;
    if (!record(url)) return dispatch(options, handler);
    let status = 0;
    let contentType = '';
    const chunks: Buffer[] = [];
    const wrapped: Handler = {
      ...bind(handler),
      onResponseStart(controller, statusCode, headers, statusMessage) {
        status = statusCode;
        const type = headers['content-type'];
        contentType = Array.isArray(type) ? String(type[0]) : String(type ?? '');
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
      },
      onResponseData(controller, chunk) {
        chunks.push(Buffer.from(chunk));
        handler.onResponseData?.(controller, chunk);
      },
      onResponseEnd(controller, trailers) {
        exchanges.push({
          method: options.method,
          url,
          status,
          contentType,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        handler.onResponseEnd?.(controller, trailers);
      },
    };
    return dispatch(options, wrapped);
  });
  return { dispatcher, exchanges, close: () => agent.close() };
}

// The handler's other callbacks, bound to it.
function bind(handler: Handler): Handler {
  const out: Record<string, unknown> = {};
  for (const name of ['onRequestStart', 'onRequestUpgrade', 'onResponseError'] as const) {
    const fn = handler[name];
    if (typeof fn === 'function') out[name] = fn.bind(handler);
  }
  return out as Handler;
}
