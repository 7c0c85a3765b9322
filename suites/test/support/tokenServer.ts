// A token endpoint on 127.0.0.1:0 whose next answers are scripted: a real server for every fault
// a real server can produce (status codes, Retry-After, a reset socket, a hang, bad bodies).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One answer of the token endpoint: writes (or withholds) the response. */
export type TokenAnswer = (req: IncomingMessage, res: ServerResponse) => void;

/** One request the token endpoint received. */
export interface TokenServerRequest {
  readonly grant: string;
  readonly params: URLSearchParams;
  /** Milliseconds since the server started (for Retry-After spacing). */
  readonly at: number;
}

/** A running scripted token endpoint. */
export interface TokenServer {
  readonly url: string;
  readonly requests: TokenServerRequest[];
  /** Every access and refresh token issued, so the secret scan knows them. */
  readonly issued: string[];
  /** Answers the next requests with `answers`, in order; afterwards {@link ok} again. */
  script(...answers: TokenAnswer[]): void;
  /** Every following request gets `answer` (until `script` or `reset`). */
  always(answer: TokenAnswer): void;
  reset(): void;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A well-formed token answer (RFC 6749 §5.1) with fresh tokens. */
export function ok(issued: string[]): TokenAnswer {
  return (_req, res) => {
    const access = `at_${randomBytes(12).toString('base64url')}`;
    const refresh = `rt_${randomBytes(12).toString('base64url')}`;
    issued.push(access, refresh);
    json(res, 200, {
      access_token: access,
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: refresh,
    });
  };
}

/** The faults of the suite, each a real server behaviour. */
export const answers = {
  status:
    (status: number, headers: Record<string, string> = {}): TokenAnswer =>
    (_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain', ...headers });
      res.end(`upstream said ${status}`);
    },
  /** Never answers: the client's timeout must end the request. */
  hang: (): TokenAnswer => () => {},
  /** Destroys the socket without a response (ECONNRESET / UND_ERR_SOCKET at the client). */
  reset: (): TokenAnswer => (req) => {
    req.socket.resetAndDestroy();
  },
  body:
    (status: number, contentType: string, text: string): TokenAnswer =>
    (_req, res) => {
      res.writeHead(status, { 'content-type': contentType });
      res.end(text);
    },
  json:
    (status: number, body: unknown): TokenAnswer =>
    (_req, res) =>
      json(res, status, body),
};

/**
 * Starts the scripted token endpoint. Until scripted it answers every request with {@link ok}.
 *
 * @example
 * ```ts
 * const server = await startTokenServer();
 * server.script(answers.status(500), answers.status(500));
 * ```
 */
export async function startTokenServer(): Promise<TokenServer> {
  const issued: string[] = [];
  const requests: TokenServerRequest[] = [];
  const queue: TokenAnswer[] = [];
  const fallback = ok(issued);
  let standing: TokenAnswer | undefined;
  const started = performance.now();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      requests.push({
        grant: params.get('grant_type') ?? '',
        params,
        at: performance.now() - started,
      });
      const answer = queue.shift() ?? standing ?? fallback;
      answer(req, res);
    });
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    requests,
    issued,
    script(...next) {
      queue.push(...next);
    },
    always(answer) {
      standing = answer;
    },
    reset() {
      queue.length = 0;
      standing = undefined;
      requests.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
