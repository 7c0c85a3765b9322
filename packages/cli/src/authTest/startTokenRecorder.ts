import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One token-endpoint exchange as the recorder saw it. Holds secrets: never print it whole. */
export interface RecordedExchange {
  readonly status: number;
  readonly contentType: string;
  /** The response body as text. */
  readonly body: string;
}

/** A loopback recorder in front of a token endpoint's origin. */
export interface TokenRecorder {
  /** `http://127.0.0.1:<port>`: use it in place of the real origin. */
  readonly url: string;
  /** Responses, oldest first. */
  readonly exchanges: readonly RecordedExchange[];
  close(): Promise<void>;
}

// Hop-by-hop and recomputed headers are not forwarded (RFC 9110 §7.6.1).
const DROPPED = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'keep-alive',
]);

/**
 * Starts a recording reverse proxy on 127.0.0.1 for one origin. `splice auth test` points the
 * method's token URL at it so the real strategy performs the exchange while the command sees the
 * raw token response, whose shape it reports (values redacted). Requests and responses pass
 * through unchanged; nothing is written anywhere but memory.
 *
 * @example
 * ```ts
 * const recorder = await startTokenRecorder('https://auth.example.com');
 * // token URL https://auth.example.com/oauth/token → `${recorder.url}/oauth/token`
 * ```
 */
export async function startTokenRecorder(origin: string): Promise<TokenRecorder> {
  const exchanges: RecordedExchange[] = [];
  const server = createServer(async (req, res) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || DROPPED.has(name)) continue;
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      const method = req.method ?? 'POST';
      const response = await fetch(`${origin}${req.url ?? '/'}`, {
        method,
        headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
        redirect: 'manual',
      });
      const body = await response.text();
      const contentType = response.headers.get('content-type') ?? '';
      exchanges.push({ status: response.status, contentType, body });
      const out: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        if (!DROPPED.has(name) && name !== 'content-encoding') out[name] = value;
      });
      res.writeHead(response.status, out).end(body);
    } catch {
      res
        .writeHead(502, { 'content-type': 'text/plain' })
        .end('splice auth test: token URL unreachable');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
