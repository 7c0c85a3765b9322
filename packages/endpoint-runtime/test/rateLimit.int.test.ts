import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
} from './support/fixtures.js';

let server: TestServer;
let runtime: Runtime;
beforeAll(async () => {
  server = await startTestServer();
  runtime = createRuntime({
    connectors: [acmeConnector(server.url, { rateLimit: { amount: 5, unit: 'second' } })],
    strategies: [testTokenStrategy(), testOAuthStrategy()],
  });
});
afterAll(async () => {
  await runtime.close();
  await server.close();
});

async function burst(instanceId: string, n: number): Promise<number[]> {
  // Warm up first (instance state, keep-alive socket) so every request of the burst has the same
  // latency and the server sees the spacing the limiter made.
  await runtime.callEndpoint(instanceId, 'list-orders');
  await new Promise((resolve) => setTimeout(resolve, 300));
  server.requests.length = 0;
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      runtime.callEndpoint(instanceId, 'list-orders', { variables: { status: `s${i}` } }),
    ),
  );
  expect(results.every((r) => r.status === 200)).toBe(true);
  return server.requests.map((r) => r.at);
}

describe('rate limit (measured at the server)', () => {
  it('queues N requests at 5/s so they take about N/5 s, and drops none', async () => {
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'Connector limit',
      variables: { account: 'a', api_key: 'key-rate' },
    });
    const n = 10;
    const arrivals = await burst(instance.id, n);
    expect(arrivals).toHaveLength(n);
    const spread = arrivals[n - 1]! - arrivals[0]!;
    // (n - 1) gaps of 200 ms; a little slack for timers, never faster than the limit.
    expect(spread).toBeGreaterThanOrEqual((n - 1) * 200 - 50);
    expect(spread).toBeLessThan((n - 1) * 200 + 1500);
    for (let i = 1; i < n; i++) expect(arrivals[i]! - arrivals[i - 1]!).toBeGreaterThanOrEqual(150);
  });

  it("uses the instance's own rate limit over the connector's", async () => {
    const instance = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'Own limit',
      variables: { account: 'b', api_key: 'key-rate' },
      rateLimit: { amount: 20, unit: 'second' },
    });
    const n = 10;
    const arrivals = await burst(instance.id, n);
    const spread = arrivals[n - 1]! - arrivals[0]!;
    expect(spread).toBeGreaterThanOrEqual((n - 1) * 50 - 50);
    expect(spread).toBeLessThan((n - 1) * 200 - 200);
  });
});
