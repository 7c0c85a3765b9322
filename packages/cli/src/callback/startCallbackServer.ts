import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callbackRefusal } from '@splice/core';
import escapeHtml from 'escape-html';

/** Options of {@link startCallbackServer}. */
export interface CallbackServerOptions {
  /** Port on 127.0.0.1; 0 picks a free one. */
  readonly port?: number;
  /** Path of the redirect URI; default `/callback`. */
  readonly path?: string;
}

/** A loopback server that waits for one OAuth 2 redirect. */
export interface CallbackServer {
  /** The redirect URI, e.g. `http://127.0.0.1:8976/callback`. */
  readonly callbackUrl: string;
  /**
   * Resolves with the full callback URL (`...?code=...&state=...`) of the first request to the
   * callback path; rejects when `signal` aborts first.
   */
  next(signal?: AbortSignal): Promise<string>;
  /**
   * Like {@link CallbackServer.next}, but the browser's page waits for `respond`: the user then
   * reads whether the authorization worked, not only that a redirect arrived (answered with a
   * neutral page after 60 s or on close if never called).
   */
  nextRequest(signal?: AbortSignal): Promise<CallbackRequest>;
  close(): Promise<void>;
}

/** A redirect the browser is waiting on. */
export interface CallbackRequest {
  /** The full callback URL (`...?code=...&state=...`). */
  readonly url: string;
  /**
   * Shows the browser a page: `ok` false for a failure. `title` and `text` are plain text (escaped
   * for HTML here) and must hold no secret.
   */
  respond(ok: boolean, title: string, text: string): void;
}

interface Received {
  readonly url: string;
  readonly res: ServerResponse;
}

// The page shows provider text (a refusal's error_description): every value is escaped.
const PAGE = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
  '<body style="font:16px system-ui;margin:4rem auto;max-width:32rem;color:#1f2937">' +
  `<h1 style="font-size:1.4rem">${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body>`;

/**
 * Starts an HTTP server on 127.0.0.1 that receives the provider's redirect (RFC 8252 §7.3: a
 * loopback redirect URI for a native app), shows the user a short page and hands the callback URL
 * to the caller. Other paths get a 404, so a browser's favicon request cannot consume the wait.
 *
 * @example
 * ```ts
 * const server = await startCallbackServer({ port: 8976 });
 * console.log(`Open ${authorizationUrl}`);
 * const callback = await server.next();
 * await runtime.completeAuthorization(callback);
 * await server.close();
 * ```
 */
export async function startCallbackServer(
  options: CallbackServerOptions = {},
): Promise<CallbackServer> {
  const path = options.path ?? '/callback';
  const received: Received[] = [];
  const waiters: ((entry: Received) => void)[] = [];
  const answer = (res: ServerResponse, ok: boolean, title: string, text: string): void => {
    if (res.headersSent) return;
    res.writeHead(ok ? 200 : 400, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE(title, text));
  };
  const neutral = (url: string, res: ServerResponse): void => {
    const params = new URL(url).searchParams;
    const code = params.get('code');
    const refusal = callbackRefusal(params, code === null ? [] : [code]);
    if (refusal !== undefined) {
      answer(
        res,
        false,
        'Authorization refused',
        `The provider refused the authorization: ${refusal.said}. Return to the terminal for details.`,
      );
      return;
    }
    answer(
      res,
      true,
      'Redirect received',
      'Return to the terminal to see whether the authorization worked.',
    );
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', callbackUrl);
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const entry = { url: url.href, res };
    const waiter = waiters.shift();
    if (waiter === undefined) received.push(entry);
    else waiter(entry);
  });
  const take = (signal?: AbortSignal): Promise<Received> => {
    const ready = received.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise<Received>((resolve, reject) => {
      const onAbort = (): void => {
        const index = waiters.indexOf(done);
        if (index >= 0) waiters.splice(index, 1);
        reject(signal?.reason ?? new Error('aborted'));
      };
      const done = (entry: Received): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(entry);
      };
      if (signal?.aborted === true) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      waiters.push(done);
    });
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return {
    callbackUrl,
    async next(signal) {
      const { url, res } = await take(signal);
      neutral(url, res);
      return url;
    },
    async nextRequest(signal) {
      const { url, res } = await take(signal);
      const timer = setTimeout(() => neutral(url, res), 60_000);
      timer.unref();
      return {
        url,
        respond(ok, title, text) {
          clearTimeout(timer);
          answer(res, ok, title, text);
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { url, res } of received) neutral(url, res);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
