// `pnpm soak`: 200,000 calls through one runtime while the provider expires every access token
// every 10 seconds, sampling heap (after GC) and open sockets. Bounded to a few minutes; never in
// CI. Prints the samples and whether heap and sockets stayed flat.

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MemoryStore } from '@splice/core';
import { benchConnector, benchRuntime, type ProviderEndpoints, REDIRECT_URI } from './fixtures.js';

const TOTAL = Number(process.env['SPLICE_SOAK_CALLS'] ?? 200_000);
const CONCURRENCY = 64;
const EXPIRE_EVERY_MS = 10_000;
const SAMPLE_EVERY_MS = 5_000;
const LIMIT_MS = 5 * 60 * 1000;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc (pnpm soak does)');

// The simulator runs in another process and its API checks every token, so expiring them
// server-side forces the refresh-and-replay path on the next call.
const providerProcess = fork(fileURLToPath(new URL('./providerProcess.ts', import.meta.url)), [], {
  execArgv: ['--conditions=@splice/source', '--import', 'tsx'],
});
const ask = <T>(message: object): Promise<T> =>
  new Promise((resolve) => {
    providerProcess.once('message', (m) => resolve(m as T));
    if (Object.keys(message).length > 0) providerProcess.send(message);
  });
const provider = await ask<ProviderEndpoints & { apiUrl: string }>({});
const runtime = benchRuntime(benchConnector(provider, provider.apiUrl), new MemoryStore());
const { code } = await ask<{ code: string }>({ kind: 'code', redirectUri: REDIRECT_URI });
const { id: instanceId } = await runtime.addInstance({
  connectorId: 'bench',
  authMethodId: 'bench-oauth',
  name: 'soak',
  variables: { oauth_authorised_code: code },
});

interface Sample {
  readonly second: number;
  readonly calls: number;
  readonly heapMiB: number;
  readonly sockets: number;
}
const samples: Sample[] = [];
const openSockets = (): number =>
  (process as unknown as { _getActiveHandles(): object[] })
    ._getActiveHandles()
    .filter((h) => h.constructor.name === 'Socket').length;

let done = 0;
let failed = 0;
const started = performance.now();
const sample = (): void => {
  gc();
  const s: Sample = {
    second: Math.round((performance.now() - started) / 1000),
    calls: done,
    heapMiB: Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10,
    sockets: openSockets(),
  };
  samples.push(s);
  console.log(`${s.second} s: ${s.calls} calls, heap ${s.heapMiB} MiB, ${s.sockets} sockets`);
};
const sampler = setInterval(sample, SAMPLE_EVERY_MS);
const expirer = setInterval(() => providerProcess.send({ kind: 'expire' }), EXPIRE_EVERY_MS);

let next = 0;
const worker = async (): Promise<void> => {
  while (next < TOTAL && performance.now() - started < LIMIT_MS) {
    next++;
    try {
      await runtime.callEndpoint(instanceId, 'list-orders');
    } catch {
      failed++;
    }
    done++;
  }
};
sample();
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
clearInterval(sampler);
clearInterval(expirer);
sample();

console.table(samples);
const { counts } = await ask<{ counts: { refreshToken: number } }>({ kind: 'counts' });
const steady = samples.slice(1);
const heap = steady.map((s) => s.heapMiB);
const sockets = steady.map((s) => s.sockets);
console.log(
  `${done.toLocaleString()} calls (${failed} failed) in ${Math.round((performance.now() - started) / 1000)} s; ` +
    `${counts.refreshToken} refreshes; heap ${Math.min(...heap)}–${Math.max(...heap)} MiB; ` +
    `sockets ${Math.min(...sockets)}–${Math.max(...sockets)}`,
);
await runtime.close();
providerProcess.disconnect();
