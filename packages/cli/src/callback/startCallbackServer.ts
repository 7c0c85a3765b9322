import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  close(): Promise<void>;
}

const PAGE = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title>` +
  '<body style="font:16px system-ui;margin:4rem auto;max-width:32rem;color:#1f2937">' +
  `<h1 style="font-size:1.4rem">${title}</h1><p>${text}</p></body>`;

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
  const received: string[] = [];
  const waiters: ((url: string) => void)[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', callbackUrl);
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const denied = url.searchParams.has('error');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      denied
        ? PAGE(
            'Authorization refused',
            'The provider sent an error. Return to the terminal for details.',
          )
        : PAGE('Authorization received', 'You can close this tab and return to the terminal.'),
    );
    const waiter = waiters.shift();
    if (waiter === undefined) received.push(url.href);
    else waiter(url.href);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  return {
    callbackUrl,
    next(signal) {
      const ready = received.shift();
      if (ready !== undefined) return Promise.resolve(ready);
      return new Promise<string>((resolve, reject) => {
        const onAbort = (): void => {
          const index = waiters.indexOf(done);
          if (index >= 0) waiters.splice(index, 1);
          reject(signal?.reason ?? new Error('aborted'));
        };
        const done = (url: string): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve(url);
        };
        if (signal?.aborted === true) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        waiters.push(done);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
