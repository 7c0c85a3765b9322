import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1 (the system picks it, the listener is closed again): for a server
 * whose URL another must know before it starts, such as a redirect URI a provider simulator is
 * told to accept before the callback server or dashboard listens on it. Another process may take
 * the port in between; tests on loopback accept that.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * const sim = await startProviderSimulator({ redirectUris: [`http://127.0.0.1:${port}/callback`] });
 * ```
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port was assigned');
  return address.port;
}
