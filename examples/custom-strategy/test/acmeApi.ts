// A stand-in for Acme's API on 127.0.0.1:0: accepts bearer tokens the authorization server issued
// (OAuth 2 instances) and one API token in `X-Acme-Token` (token instances), and says which.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AcmeApi {
  readonly url: string;
  /** Every request: path and who called (`oauth`, `token` or `rejected`). */
  readonly seen: { path: string; caller: string }[];
  close(): Promise<void>;
}

export async function startAcmeApi(options: {
  readonly verifyBearer: (token: string) => unknown;
  readonly apiToken: string;
}): Promise<AcmeApi> {
  const seen: { path: string; caller: string }[] = [];
  const server = createServer(async (req, res) => {
    req.resume();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    let caller = 'rejected';
    if (req.headers['x-acme-token'] === options.apiToken) caller = 'token';
    else if (bearer !== undefined && (await options.verifyBearer(bearer))) caller = 'oauth';
    seen.push({ path: url.pathname, caller });
    if (caller === 'rejected') {
      res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' });
      res.end('{"error":"invalid_token"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ path: url.pathname, query: Object.fromEntries(url.searchParams), caller }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
