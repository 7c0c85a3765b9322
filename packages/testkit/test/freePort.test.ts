import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../src/freePort.js';

// Linux says where the kernel's own picks (listen(0), outgoing connections) begin.
function ephemeralStart(): number | undefined {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').split(/\s+/)[0]);
  } catch {
    return undefined;
  }
}

async function listen(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return server;
}

describe('freePort', () => {
  const low = ephemeralStart();

  it.skipIf(low === undefined || low < 32_768)(
    'hands out a port the kernel never picks for listen(0) or a connection, in this worker’s slice',
    async () => {
      const port = await freePort();
      expect(port).toBeGreaterThanOrEqual(16_384);
      expect(port).toBeLessThan(low!);
      // Each vitest worker has its own 1024 ports, so two workers never get the same one.
      const worker = Number(process.env['VITEST_POOL_ID'] ?? 0) % 16;
      expect(Math.floor((port - 16_384) / 1024)).toBe(worker);
    },
  );

  it('hands out a port a server can listen on, and a different one each time', async () => {
    const ports = [];
    for (let i = 0; i < 20; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    const server = await listen(ports[0]!);
    await new Promise((resolve) => server.close(resolve));
  });
});
