// A real HTTPS server for host names that must be literal in a template (NetSuite account hosts):
// a throw-away self-signed certificate for *.suitetalk.api.netsuite.com made with openssl, and a
// DNS lookup that sends those names to 127.0.0.1 for the one undici Agent that uses it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo, LookupFunction } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface NetSuiteLikeServer {
  readonly port: number;
  /** The certificate to trust (it is its own CA). */
  readonly ca: string;
  /** Resolves every name to 127.0.0.1. */
  readonly lookup: LookupFunction;
  /** Requests answered. */
  readonly requests: number;
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1:0; every request is answered with a JSON echo of it. */
export async function startNetSuiteLikeServer(): Promise<NetSuiteLikeServer> {
  const dir = mkdtempSync(join(tmpdir(), 'splice-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=suitetalk.api.netsuite.com',
        '-addext',
        'subjectAltName=DNS:*.suitetalk.api.netsuite.com',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const key = readFileSync(join(dir, 'key.pem'), 'utf8');
    const cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    let requests = 0;
    const server = createServer({ key, cert }, (req, res) => {
      requests += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, headers: req.headers }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const lookup = ((
      _host: string,
      options: { all?: boolean },
      callback: (...args: unknown[]) => void,
    ) => {
      if (options?.all === true) callback(null, [{ address: '127.0.0.1', family: 4 }]);
      else callback(null, '127.0.0.1', 4);
    }) as unknown as LookupFunction;
    return {
      port: (server.address() as AddressInfo).port,
      ca: cert,
      lookup,
      get requests() {
        return requests;
      },
      async close() {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
