// Acme's login service on 127.0.0.1:0: a JSON POST of username and password to /login answers a
// session token that lives `ttlSeconds`; `dropSessions()` plays a server that forgets them early.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoginServer {
  readonly url: string;
  /** Session tokens currently valid. */
  readonly sessions: Set<string>;
  /** Logins answered with a session. */
  logins: number;
  dropSessions(): void;
  close(): Promise<void>;
}

export async function startLoginServer(account: {
  readonly username: string;
  readonly password: string;
  readonly ttlSeconds: number;
}): Promise<LoginServer> {
  const state = { sessions: new Set<string>(), logins: 0 };
  const server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    let body: { username?: unknown; password?: unknown } = {};
    try {
      body = JSON.parse(text) as typeof body;
    } catch {}
    if (body.username !== account.username || body.password !== account.password) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"invalid_login"}');
      return;
    }
    const token = randomBytes(18).toString('base64url');
    state.sessions.add(token);
    state.logins += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ token, expires_in: account.ttlSeconds }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    dropSessions: () => state.sessions.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
