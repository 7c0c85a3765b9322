// `pnpm bench`: Splice's request path side by side with raw undici and global fetch against the
// same keep-alive server, a refresh storm in one and in four processes, memory per instance and
// start-up time. Prints a table and writes bench/results.json. Never part of the test command.
import { type ChildProcess, execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MemoryStore } from '@splice/core';
import { RedisStore } from '@splice/store-redis';
import { checkRedis, startProviderSimulator } from '@splice/testkit';
import { Agent, Pool, request } from 'undici';
import { addBenchInstance, benchConnector, benchRuntime } from './fixtures.js';
import { type Call, concurrent, medianRun, type RunResult, sequential } from './measure.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const quick = process.argv.includes('--quick');
const SEQUENTIAL = quick ? 1_000 : 5_000;
const CONCURRENT = quick ? 4_000 : 20_000;
const CONCURRENCY = 64;
const ROUNDS = quick ? 1 : 5;
const TOKEN = `Bearer ${randomUUID()}`;

function child(file: string, execArgv: string[] = []): ChildProcess {
  return fork(here(file), [], {
    execArgv: ['--conditions=@splice/source', '--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function message<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    proc.once('message', (m) => resolve(m as T));
    proc.once('exit', (code) => reject(new Error(`child exited with ${code} before answering`)));
  });
}

interface CaseRow {
  readonly name: string;
  readonly sequential: RunResult;
  readonly concurrent: RunResult;
}

async function requestPath(): Promise<CaseRow[]> {
  const server = child('./server.ts');
  const { port } = await message<{ port: number }>(server);
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/orders`;

  const pool = new Pool(origin, { connections: CONCURRENCY, pipelining: 1 });
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const provider = await startProviderSimulator();
  const runtime = benchRuntime(benchConnector(provider, origin), new MemoryStore());
  const instanceId = await addBenchInstance(runtime, provider);

  const cases: Record<string, Call> = {
    'undici Pool.request (floor)': async () => {
      const res = await pool.request({
        path: '/orders',
        method: 'GET',
        headers: { authorization: TOKEN },
      });
      await res.body.json();
    },
    // Splice's default dispatcher is an undici Agent (one Pool per origin): the floor with it.
    'undici Agent.request': async () => {
      const res = await agent.request({
        origin,
        path: '/orders',
        method: 'GET',
        headers: { authorization: TOKEN },
      });
      await res.body.json();
    },
    'undici.request': async () => {
      const res = await request(url, { headers: { authorization: TOKEN } });
      await res.body.json();
    },
    'fetch + bearer header': async () => {
      const res = await fetch(url, { headers: { authorization: TOKEN } });
      await res.json();
    },
    'splice callEndpoint': async () => {
      await runtime.callEndpoint(instanceId, 'list-orders');
    },
  };

  // Warm every path (connections, JIT, token cache) before measuring.
  for (const call of Object.values(cases)) await concurrent(call, 2_000, CONCURRENCY);

  const seq = new Map<string, RunResult[]>();
  const conc = new Map<string, RunResult[]>();
  // Rounds interleave the cases so that a noisy moment hurts all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of Object.entries(cases)) {
      seq.set(name, [...(seq.get(name) ?? []), await sequential(call, SEQUENTIAL)]);
      conc.set(name, [...(conc.get(name) ?? []), await concurrent(call, CONCURRENT, CONCURRENCY)]);
    }
  }
  await runtime.close();
  await provider.close();
  await pool.close();
  await agent.close();
  server.disconnect();
  return Object.keys(cases).map((name) => ({
    name,
    sequential: medianRun(seq.get(name)!),
    concurrent: medianRun(conc.get(name)!),
  }));
}

interface StormResult {
  readonly processes: number;
  readonly calls: number;
  readonly refreshRequests: number;
  readonly failed: number;
  readonly ms: number;
}

const TWO_HOURS = 2 * 60 * 60 * 1000;

async function stormInProcess(apiOrigin: string): Promise<StormResult> {
  const provider = await startProviderSimulator();
  const connector = benchConnector(provider, apiOrigin);
  const store = new MemoryStore();
  const adder = benchRuntime(connector, store);
  const instanceId = await addBenchInstance(adder, provider);
  await adder.close();
  // A second runtime whose clock is two hours ahead sees the access token as expired.
  const runtime = benchRuntime(connector, store, () => Date.now() + TWO_HOURS);
  provider.resetCounts();
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: 1_000 }, () => runtime.callEndpoint(instanceId, 'list-orders')),
  );
  const ms = performance.now() - started;
  await runtime.close();
  await provider.close();
  return {
    processes: 1,
    calls: results.length,
    refreshRequests: provider.counts.refreshToken,
    failed: results.filter((r) => r.status === 'rejected').length,
    ms,
  };
}

async function stormAcrossProcesses(apiOrigin: string): Promise<StormResult | string> {
  const redis = await checkRedis().catch((error: unknown) => ({
    available: false,
    reason: String(error),
  }));
  if (!redis.available) return `skipped: ${redis.reason}`;
  const provider = await startProviderSimulator();
  const connector = benchConnector(provider, apiOrigin);
  const prefix = `splice-bench:${randomUUID()}:`;
  const store = new RedisStore({ prefix, encryption: false });
  const adder = benchRuntime(connector, store);
  const instanceId = await addBenchInstance(adder, provider);
  await adder.close();
  const workers = Array.from({ length: 4 }, () => child('./stormWorker.ts'));
  const job = {
    tokenUrl: provider.tokenUrl,
    authorizationUrl: provider.authorizationUrl,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    apiOrigin,
    prefix,
    instanceId,
    calls: 250,
    clockOffsetMs: TWO_HOURS,
  };
  const ready = workers.map((w) => message(w));
  for (const w of workers) w.send(job);
  await Promise.all(ready);
  provider.resetCounts();
  const started = performance.now();
  const done = workers.map((w) => message<{ ok: number; failed: number; firstError?: string }>(w));
  for (const w of workers) w.send('go');
  const results = await Promise.all(done);
  const ms = performance.now() - started;
  for (const key of await store.keys('')) await store.delete(key);
  await store.close();
  await provider.close();
  const failed = results.reduce((n, r) => n + r.failed, 0);
  if (failed > 0)
    console.error('storm worker error:', results.find((r) => r.firstError)?.firstError);
  return { processes: 4, calls: 1_000, refreshRequests: provider.counts.refreshToken, failed, ms };
}

async function memoryPerInstance(
  apiOrigin: string,
): Promise<{ instances: number; bytesPerInstance: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const provider = await startProviderSimulator();
  const runtime = benchRuntime(benchConnector(provider, apiOrigin), new MemoryStore());
  const count = quick ? 2_000 : 10_000;
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, async (_, j) => {
        const id = await addBenchInstance(runtime, provider, `i${i + j}`);
        await runtime.callEndpoint(id, 'list-orders'); // the token is now cached
      }),
    );
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  await runtime.close();
  await provider.close();
  return { instances: count, bytesPerInstance: Math.round((after - before) / count) };
}

function startupMs(): number {
  // A fresh process, like an engine starting: import every package and create a runtime.
  const out = execFileSync(process.execPath, [here('./startup.mjs')], { encoding: 'utf8' });
  return Number(JSON.parse(out.trim().split('\n').at(-1)!).ms);
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<void> {
  console.log(
    `Splice bench — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  );
  const rows = await requestPath();
  const floor = rows[0]!;
  const fetchRow = rows.find((r) => r.name.startsWith('fetch'))!;
  console.log('\nRequest path (keep-alive node:http server in another process; medians of rounds)');
  console.table(
    rows.map((r) => ({
      case: r.name,
      'seq req/s': fmt(r.sequential.rps),
      'seq p50 µs': fmt(r.sequential.p50Us),
      'seq p99 µs': fmt(r.sequential.p99Us),
      'seq time ×floor': fmt(floor.sequential.rps / r.sequential.rps, 2),
      [`c${CONCURRENCY} req/s`]: fmt(r.concurrent.rps),
      [`c${CONCURRENCY} p50 µs`]: fmt(r.concurrent.p50Us),
      [`c${CONCURRENCY} p99 µs`]: fmt(r.concurrent.p99Us),
      [`c${CONCURRENCY} time ×floor`]: fmt(floor.concurrent.rps / r.concurrent.rps, 2),
      [`c${CONCURRENCY} ×fetch thrpt`]: fmt(r.concurrent.rps / fetchRow.concurrent.rps, 2),
    })),
  );

  const server = child('./server.ts');
  const { port } = await message<{ port: number }>(server);
  const apiOrigin = `http://127.0.0.1:${port}`;
  const storm1 = await stormInProcess(apiOrigin);
  const storm4 = await stormAcrossProcesses(apiOrigin);
  console.log('\nRefresh storm (1,000 concurrent calls on an instance whose token has expired)');
  console.table(
    [storm1, storm4].map((s) =>
      typeof s === 'string'
        ? { processes: 4, result: s }
        : {
            processes: s.processes,
            calls: s.calls,
            'refresh requests at server': s.refreshRequests,
            failed: s.failed,
            'ms until all done': fmt(s.ms),
          },
    ),
  );
  const memory = await memoryPerInstance(apiOrigin);
  server.disconnect();
  console.log(
    `\nMemory: ${fmt(memory.bytesPerInstance)} bytes of heap per instance with a cached token (${fmt(memory.instances)} instances)`,
  );
  const startup = startupMs();
  console.log(
    `Start-up: ${fmt(startup, 1)} ms to import every package and create a runtime (fresh Node process, built dist/)`,
  );

  const results = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
    settings: {
      sequential: SEQUENTIAL,
      concurrent: CONCURRENT,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
    },
    requestPath: rows,
    storm: { inProcess: storm1, acrossProcesses: storm4 },
    memory,
    startupMs: startup,
  };
  writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nWrote bench/results.json');
}

await main();
