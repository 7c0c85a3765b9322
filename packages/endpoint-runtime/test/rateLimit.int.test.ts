import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import { acmeConnector, testOAuthStrategy, testTokenStrategy } from './support/fixtures.js';

let child: ChildProcess;
let base: string;
let runtime: Runtime;

beforeAll(async () => {
  child = fork(fileURLToPath(new URL('./support/arrivalServer.ts', import.meta.url)), [], {
    execArgv: ['--conditions=@splice/source', '--import', 'tsx'],
  });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m) => resolve((m as { port: number }).port)),
  );
  base = `http://127.0.0.1:${port}`;
  runtime = createRuntime({
    connectors: [acmeConnector(base, { rateLimit: { amount: 5, unit: 'second' } })],
    strategies: [testTokenStrategy(), testOAuthStrategy()],
  });
});
afterAll(async () => {
  await runtime.close();
  child.disconnect();
});

async function arrivals(): Promise<number[]> {
  const response = await request(`${base}/__arrivals`);
  return (await response.body.json()) as number[];
}

async function burst(instanceId: string, n: number): Promise<number[]> {
  // Warm up first (instance state, keep-alive socket) so every request of the burst has the same
  // latency and the server sees the spacing the limiter made.
  await runtime.callEndpoint(instanceId, 'list-orders');
  await new Promise((resolve) => setTimeout(resolve, 300));
  await arrivals();
  const results = await Promise.allSettled(
    Array.from({ length: n }, (_, i) =>
      runtime.callEndpoint(instanceId, 'list-orders', { variables: { status: `s${i}` } }),
    ),
  );
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(n);
  return arrivals();
}

describe('rate limit (measured by the server, in its own process)', () => {
  it('queues N requests at 5/s so they take about N/5 s, and drops none', async () => {
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'Connector limit',
      variables: { account: 'a', api_key: 'key-rate' },
    });
    const n = 12;
    const seen = await burst(instance.id, n);
    expect(seen).toHaveLength(n);
    const spread = seen[n - 1]! - seen[0]!;
    // (n - 1) gaps of 200 ms, with slack for a loaded machine; never (much) faster than the limit.
    expect(spread).toBeGreaterThanOrEqual((n - 1) * 200 - 100);
    expect(spread).toBeLessThan((n - 1) * 200 + 2000);
    // Any 6 consecutive arrivals span about a second: at most 5 per second.
    for (let i = 0; i + 5 < n; i++) expect(seen[i + 5]! - seen[i]!).toBeGreaterThanOrEqual(900);
  });

  it("uses the instance's own rate limit over the connector's", async () => {
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'Own limit',
      variables: { account: 'b', api_key: 'key-rate' },
      rateLimit: { amount: 20, unit: 'second' },
    });
    const n = 12;
    const seen = await burst(instance.id, n);
    expect(seen).toHaveLength(n);
    const spread = seen[n - 1]! - seen[0]!;
    expect(spread).toBeGreaterThanOrEqual((n - 1) * 50 - 100);
    expect(spread).toBeLessThan((n - 1) * 200 - 500);
  });
});
