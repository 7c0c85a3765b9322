import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it arrived on the wire. */
export interface RecordedRequest {
  readonly method: string;
  /** The request target exactly as sent (path and query, still percent-encoded). */
  readonly target: string;
  readonly headers: IncomingMessage['headers'];
  /** Header names and values in the order they arrived, names as sent. */
  readonly rawHeaders: readonly string[];
}

/** A loopback server that records every request and every connection. */
export interface RecordingServer {
  readonly origin: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** TCP connections accepted, whether or not a request followed. */
  readonly connections: () => number;
  /** How to answer; default 200 `{"ok":true}`. */
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

function answerOk(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{"ok":true}');
}

/**
 * Starts a recording server on `127.0.0.1:0`.
 *
 * @example
 * ```ts
 * const api = await startRecordingServer();
 * api.handle = (_req, res) => { res.writeHead(302, { location: other.origin }); res.end(); };
 * ```
 */
export async function startRecordingServer(): Promise<RecordingServer> {
  let connections = 0;
  const requests: RecordedRequest[] = [];
  const recorder: RecordingServer = {
    origin: '',
    port: 0,
    requests,
    connections: () => connections,
    handle: answerOk,
    close: async () => {},
  };
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      target: req.url ?? '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
    });
    req.resume();
    req.on('end', () => recorder.handle(req, res));
  });
  server.on('connection', () => {
    connections += 1;
  });
  server.keepAliveTimeout = 2000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(recorder, {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
