import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

// Ports below every common ephemeral range (Linux 32768-60999, macOS and Windows 49152-65535):
// the kernel hands none of them to a `listen(0)` or to an outgoing connection, so between
// freePort() and the later listen only another freePort() could take the port.
const BAND_START = 16_384;
const BAND_END = 32_768;
// The band is cut into slices, one per test worker, so parallel workers never pick the same port.
const SLICES = 16;
const SLICE = (BAND_END - BAND_START) / SLICES;

/** The first port the kernel may pick by itself (Linux tells; elsewhere it is at least 49152). */
function ephemeralStart(): number {
  try {
    const [low] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/);
    const port = Number(low);
    return Number.isInteger(port) && port > 0 ? port : 49_152;
  } catch {
    return 49_152;
  }
}

// vitest numbers its workers 1..maxWorkers, jest 1..n: each takes its own slice.
const worker = Number(process.env['VITEST_POOL_ID'] ?? process.env['JEST_WORKER_ID'] ?? 0);
const slice = BAND_START + ((Number.isInteger(worker) ? worker : 0) % SLICES) * SLICE;
// A random start, then onwards: a port is not handed out twice in one module instance, and a test
// file (vitest loads modules afresh per file) rarely meets the ports of the file before it.
let offset = Math.floor(Math.random() * SLICE);

/** Listens on `port` (0: any) on 127.0.0.1 and closes again: the port, or undefined if taken. */
async function tryPort(port: number): Promise<number | undefined> {
  const server = createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (!listening) return undefined;
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return address === null || typeof address === 'string' ? undefined : address.port;
}

/**
 * A free TCP port on 127.0.0.1: for a server whose URL another must know before it starts, such
 * as a redirect URI a provider simulator is told to accept before the callback server or dashboard
 * listens on it. The port comes from below the kernel's ephemeral range, from a slice of its own
 * per test worker (`VITEST_POOL_ID`, `JEST_WORKER_ID`), and was free when checked: no server
 * listening on port 0 and no outgoing connection can take it before the caller listens on it.
 * Where the ephemeral range reaches down into that band, the kernel picks the port instead.
 *
 * @example
 * ```ts
 * const port = await freePort();
 * const sim = await startProviderSimulator({ redirectUris: [`http://127.0.0.1:${port}/callback`] });
 * ```
 */
export async function freePort(): Promise<number> {
  if (ephemeralStart() >= BAND_END) {
    for (let tried = 0; tried < SLICE; tried++) {
      const port = slice + (offset % SLICE);
      offset += 1;
      if ((await tryPort(port)) !== undefined) return port;
    }
  }
  const port = await tryPort(0);
  if (port === undefined) throw new Error('no TCP port on 127.0.0.1 was free');
  return port;
}
