import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AuthorizationServer,
  freePort,
  type ResourceServer,
  type ResourceServerHandler,
  startAuthorizationServer,
  startResourceServer,
} from '@splice/testkit';

// The CLI's own test connector: an OAuth 2 method and a token method.
const ACME = new URL('../../../packages/cli/test/fixtures/acme.yaml', import.meta.url).pathname;

// A free port on 127.0.0.1 (for a callback server the test starts later).
export { freePort };

/** oidc-provider and an Acme API on loopback, and the Acme definition aimed at them. */
export interface AcmeProvider {
  readonly server: AuthorizationServer;
  readonly api: ResourceServer;
  /** The port of the redirect URI `http://127.0.0.1:<port>/callback` the client registered. */
  readonly port: number;
  /** The definition file, in a temporary folder. */
  readonly connector: string;
  close(): Promise<void>;
}

/**
 * Starts oidc-provider with one client (`client_secret_basic`, redirect URI on a free port) and a
 * resource server that takes its bearer tokens and the `x-acme-token` key `apiToken`, answering
 * `routes`; writes the CLI's Acme fixture with its origins aimed at both.
 */
export async function startAcmeProvider(
  apiToken: string,
  routes: Readonly<Record<string, ResourceServerHandler>>,
): Promise<AcmeProvider> {
  const port = await freePort();
  const server = await startAuthorizationServer({
    clients: [
      {
        clientId: 'acme-cli',
        redirectUris: [`http://127.0.0.1:${port}/callback`],
        tokenEndpointAuthMethod: 'client_secret_basic',
      },
    ],
    scopes: ['api'],
  });
  const api = await startResourceServer({
    verify: (token) => server.verifyAccessToken(token),
    keys: [{ name: 'token', header: 'x-acme-token', accept: [apiToken] }],
    routes,
  });
  const connector = join(mkdtempSync(join(tmpdir(), 'splice-cli-')), 'acme.yaml');
  writeFileSync(
    connector,
    readFileSync(ACME, 'utf8')
      .replaceAll('https://auth.acme.example', server.issuer)
      .replaceAll('https://api.acme.example', api.url),
  );
  return {
    server,
    api,
    port,
    connector,
    async close() {
      await api.close();
      await server.close();
    },
  };
}
