// `pnpm bench`: Splice side by side with what a user would pick instead of it — raw undici (the
// floor), global fetch, @badgateway/oauth2-client's OAuth2Fetch, axios with axios-auth-refresh,
// simple-oauth2 with fetch — in one run: request path (req/s, p50, p99, client CPU per call, each
// case in its own process), refresh storm, heap per instance and cold start. Prints ratios and
// writes bench/results.json (`pnpm bench:readme` turns it into the README's performance section).
// Never part of the test command.
import { type ChildProcess, execFileSync, fork, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RedisStore } from '@splice/store-redis';
import { checkRedis, type ProviderSimulator, startProviderSimulator } from '@splice/testkit';
import type { CpuRun, HeapAnswer, HeapStore, Job, PathAnswer, StormAnswer } from './caseWorker.js';
import { addBenchInstance, benchConnector, benchRuntime, REDIRECT_URI } from './fixtures.js';
import { type BenchTarget, CASE_NAMES, type CaseName, OAUTH_CASES } from './peers.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const FLOOR: CaseName = 'undici Pool.request (floor)';
const SPLICE: CaseName = 'splice callEndpoint';
/** The cold-start row every ratio is to. */
const UNDICI_FLOOR = 'undici Pool (floor)';
const USAGE = `usage: pnpm bench [--quick] [--only path|cold|heap] [--case <name>]... [--rounds <n>]
                  [--heap-splice-only] [--heap-instances <n>]`;
// Options (`node:util`'s parseArgs, strict: an unknown option or one without its value is an
// error, not ignored), refused with the usage line instead of a stack trace.
function readOptions() {
  try {
    return parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        case: { type: 'string', multiple: true, default: [] },
        rounds: { type: 'string' },
        'heap-splice-only': { type: 'boolean', default: false },
        'heap-instances': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    refuse((error as Error).message);
  }
}
/** Refuses the command line: the reason and the usage line, exit 2. */
function refuse(reason: string): never {
  console.error(`bench: ${reason}\n${USAGE}`);
  process.exit(2);
}
const args = readOptions();
const quick = args.quick;
// `--only path`: the request-path cases alone (printed, with their ratios to the floor; nothing
// written), for measuring a change to the call path; `--only cold`: the cold-start part alone
// (printed, not written); `--only heap`: heap per instance alone (printed, not written).
// `--case <name>` (repeatable) narrows the path cases, `--rounds <n>` sets the interleaved
// rounds; the floor always runs.
const only = args.only;
if (only !== undefined && only !== 'path' && only !== 'cold' && only !== 'heap')
  refuse(`--only takes "path", "cold" or "heap", not "${only}"`);
const selected = args.case;
for (const name of selected) {
  if (!(CASE_NAMES as readonly string[]).includes(name))
    refuse(`unknown --case "${name}"; one of: ${CASE_NAMES.join(', ')}`);
}
if (selected.length > 0 && only !== 'path') refuse('--case needs --only path');
const PATH_CASES: readonly CaseName[] =
  selected.length === 0
    ? CASE_NAMES
    : // The floor always runs: every ratio is to it.
      CASE_NAMES.filter((name) => name === FLOOR || selected.includes(name));
const SEQUENTIAL = quick ? 1_000 : 5_000;
const CONCURRENT = quick ? 4_000 : 20_000;
const CONCURRENCY = 64;
const roundsOption = args.rounds;
const ROUNDS = roundsOption !== undefined ? Number(roundsOption) : quick ? 1 : 3;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) refuse('--rounds takes a positive integer');
/** `--heap-splice-only`: the heap section measures Splice alone (both stores), not the peers. */
const heapSpliceOnly = args['heap-splice-only'];
/** `--heap-instances 10000` measures that one count instead. */
const heapInstances = args['heap-instances'];
const HEAP_COUNTS =
  heapInstances !== undefined ? [Number(heapInstances)] : quick ? [2_000] : [10_000, 100_000];
if ((heapSpliceOnly || heapInstances !== undefined) && only !== 'heap') {
  refuse(
    '--heap-splice-only and --heap-instances go with --only heap (results.json keeps every client)',
  );
}
if (!HEAP_COUNTS.every((n) => Number.isInteger(n) && n > 0)) {
  refuse('--heap-instances takes a whole number of instances, e.g. --heap-instances 10000');
}
/** Instances added and called on a thrown-away client first, so JIT code is not counted per instance. */
const HEAP_WARM_UP = 5_000;
const COLD_RUNS = quick ? 3 : 7;
const STORM_CALLS = 1_000;
const TWO_HOURS = 2 * 60 * 60 * 1000;

function child(file: string, execArgv: string[] = []): ChildProcess {
  return fork(here(file), [], {
    execArgv: ['--conditions=@splice/source', '--import', 'tsx', ...execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

function message<T>(proc: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    proc.once('message', (m) => {
      const error = (m as { error?: string }).error;
      if (error !== undefined) reject(new Error(error));
      else resolve(m as T);
    });
    proc.once('exit', (code) => reject(new Error(`child exited with ${code} before answering`)));
  });
}

function target(provider: ProviderSimulator, apiOrigin: string): BenchTarget {
  return {
    apiOrigin,
    tokenUrl: provider.tokenUrl,
    authorizationUrl: provider.authorizationUrl,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
  };
}

/** Runs one job in a fresh worker process and returns its answer. */
async function inWorker<T>(job: Job, execArgv: string[] = []): Promise<T> {
  const worker = child('./caseWorker.ts', execArgv);
  const answer = message<T>(worker);
  worker.send(job);
  return answer;
}

export interface CaseRow {
  readonly name: CaseName;
  readonly sequential: CpuRun;
  readonly concurrent: CpuRun;
}

function median(runs: readonly CpuRun[], key: 'rps' | 'cpuUsPerCall'): CpuRun {
  const sorted = [...runs].sort((a, b) => a[key] - b[key]);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function requestPath(provider: ProviderSimulator, apiOrigin: string): Promise<CaseRow[]> {
  const runs = new Map<CaseName, PathAnswer[]>();
  // Rounds interleave the cases so that a noisy moment hurts all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of PATH_CASES) {
      const answer = await inWorker<PathAnswer>({
        mode: 'path',
        name,
        target: target(provider, apiOrigin),
        code: provider.issueCode(REDIRECT_URI),
        sequential: SEQUENTIAL,
        concurrent: CONCURRENT,
        concurrency: CONCURRENCY,
      });
      runs.set(name, [...(runs.get(name) ?? []), answer]);
    }
  }
  // Throughput and latency from the median run by req/s; CPU per call is the median on its own.
  return PATH_CASES.map((name) => {
    const all = runs.get(name)!;
    const pick = (mode: 'sequential' | 'concurrent'): CpuRun => ({
      ...median(
        all.map((a) => a[mode]),
        'rps',
      ),
      cpuUsPerCall: median(
        all.map((a) => a[mode]),
        'cpuUsPerCall',
      ).cpuUsPerCall,
    });
    return { name, sequential: pick('sequential'), concurrent: pick('concurrent') };
  });
}

export interface StormRow {
  readonly name: string;
  readonly processes: number;
  readonly calls: number;
  /** Refresh requests that reached the provider: answered with tokens plus refused. */
  readonly refreshRequests: number;
  /** Refresh requests the provider refused (`invalid_grant`: a rotated refresh token reused). */
  readonly refusedRefreshes: number;
  readonly failed: number;
  readonly ms: number;
  readonly firstError?: string;
}

/**
 * 1,000 concurrent calls on a client whose stored access token has expired (and which the API,
 * the simulator's token-checking `/api`, rejects): how many refresh requests reach the provider,
 * how many calls fail, how long until all are done.
 */
async function stormOf(name: CaseName): Promise<StormRow> {
  const provider = await startProviderSimulator();
  const worker = child('./caseWorker.ts');
  const ready = message(worker);
  worker.send({
    mode: 'storm',
    name,
    target: target(provider, provider.apiUrl),
    code: provider.issueCode(REDIRECT_URI),
    calls: STORM_CALLS,
  } satisfies Job);
  await ready;
  provider.expireAccessTokens();
  provider.resetCounts();
  const done = message<StormAnswer>(worker);
  worker.send('go');
  const answer = await done;
  const refreshRequests = provider.counts.refreshToken + provider.counts.invalidGrant;
  const refusedRefreshes = provider.counts.invalidGrant;
  await provider.close();
  return {
    name,
    processes: 1,
    calls: STORM_CALLS,
    refreshRequests,
    refusedRefreshes,
    failed: answer.failed,
    ms: answer.ms,
    ...(answer.firstError === undefined ? {} : { firstError: answer.firstError }),
  };
}

async function stormAcrossProcesses(apiOrigin: string): Promise<StormRow | string> {
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
    calls: STORM_CALLS / 4,
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
  const firstError = results.find((r) => r.firstError)?.firstError;
  return {
    name: `${SPLICE}, 4 processes sharing Redis`,
    processes: 4,
    calls: STORM_CALLS,
    refreshRequests: provider.counts.refreshToken + provider.counts.invalidGrant,
    refusedRefreshes: provider.counts.invalidGrant,
    failed,
    ms,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

export interface HeapRow extends HeapAnswer {
  readonly name: CaseName;
  /** Splice's store in this row (the peers keep their tokens in their own client objects). */
  readonly store?: HeapStore;
}

/** Heap per instance with a cached token after the first call, in a fresh process per case. */
async function heapOf(
  name: CaseName,
  count: number,
  apiOrigin: string,
  store?: HeapStore,
): Promise<HeapRow> {
  const provider = await startProviderSimulator();
  // Splice exchanges a code per instance; the peers are handed a token per instance directly.
  const codes = Array.from({ length: HEAP_WARM_UP + count + 1 }, () =>
    name === SPLICE ? provider.issueCode(REDIRECT_URI) : '',
  );
  const answer = await inWorker<HeapAnswer>(
    {
      mode: 'heap',
      name,
      target: target(provider, apiOrigin),
      codes,
      warmUp: HEAP_WARM_UP,
      ...(store === undefined ? {} : { store }),
    },
    ['--expose-gc', '--max-old-space-size=4096'],
  );
  await provider.close();
  return { name, ...(name === SPLICE ? { store: store ?? 'MemoryStore' } : {}), ...answer };
}

// Cold start: a fresh plain-Node process imports a client from built dist/ and constructs it
// ready for its first call; the figure is the minimum over COLD_RUNS processes, minus bare node.
const BENCH_DIR = here('.');
const pkg = (name: string): string => here(`../packages/${name}`);
const CLIENT_STARTS: Record<string, string> = {
  [UNDICI_FLOOR]: `const { Pool } = await import('undici'); new Pool('http://127.0.0.1:1');`,
  // The part of undici Splice loads (its Agent's own module, not the index): what Splice adds
  // above it is Splice's own start-up.
  'undici Agent alone (lib/dispatcher/agent.js)': `const { default: Agent } = await import('undici/lib/dispatcher/agent.js'); new Agent();`,
  Splice: `
    const { parseConnector } = await import('@splice/core');
    const { createRuntime } = await import('@splice/endpoint-runtime');
    const { oauth2AuthorizationCode } = await import('@splice/oauth2-authcode');
    const strategies = [oauth2AuthorizationCode()];
    const connector = parseConnector({ id: 'startup', name: 'Start-up', version: '1',
      authMethods: [{ id: 'oauth', name: 'OAuth', type: 'oauth2-authorization-code',
        urls: { token: 'https://auth.example/token', authorise: 'https://auth.example/authorize' } }],
      endpoints: [{ id: 'e', name: 'E', method: 'GET', url: 'https://api.example/e', authMethods: ['oauth'] }],
    }, { strategies });
    createRuntime({ connectors: [connector], strategies });`,
  'OAuth2Fetch (@badgateway/oauth2-client)': `
    const { OAuth2Client, OAuth2Fetch } = await import('@badgateway/oauth2-client');
    const client = new OAuth2Client({ server: 'https://auth.example', clientId: 'c' });
    new OAuth2Fetch({ client, getNewToken: () => null });`,
  'axios + axios-auth-refresh': `
    const { default: axios } = await import('axios');
    const { createAuthRefresh: refresh } = await import('axios-auth-refresh');
    refresh(axios.create(), async () => {});`,
  'simple-oauth2': `
    const { AuthorizationCode } = await import('simple-oauth2');
    new AuthorizationCode({ client: { id: 'c', secret: 's' }, auth: { tokenHost: 'https://auth.example' } });`,
};
/** Each of Splice's dependencies imported alone, resolved from the package that depends on it. */
const DEPENDENCY_STARTS: ReadonlyArray<readonly [string, string]> = [
  ['@splice/core', pkg('endpoint-runtime')],
  ['@splice/http', pkg('endpoint-runtime')],
  ['@splice/endpoint-runtime', BENCH_DIR],
  ['@splice/oauth2-authcode', BENCH_DIR],
  ['inversify', pkg('endpoint-runtime')],
  ['undici', pkg('endpoint-runtime')],
  ['zod', pkg('core')],
  ['yaml', pkg('core')],
  ['@opentelemetry/api', pkg('endpoint-runtime')],
  ['bottleneck', pkg('endpoint-runtime')],
  ['p-retry', pkg('http')],
];

// The process's own CPU time (user + system, boot included), printed as it exits: on a loaded
// machine wall-clock time mostly measures the other processes, CPU time much less so.
const CPU_REPORT =
  ";process.on('exit', () => { const u = process.cpuUsage(); process.stdout.write('\\ncpu ' + (u.user + u.system) / 1000); });";

interface ProcessCost {
  readonly ms: number;
  readonly cpuMs: number;
}

function processCost(code: string, cwd: string): ProcessCost {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', CPU_REPORT + code], {
    cwd,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`cold start failed in ${cwd}: ${result.stderr}`);
  const cpuMs = Number(/\ncpu ([\d.]+)$/.exec(result.stdout)?.[1]);
  return { ms, cpuMs };
}

/** Minimum wall-clock and minimum CPU time over COLD_RUNS processes (each its own minimum). */
function minOf(code: string, cwd: string): ProcessCost {
  const runs = Array.from({ length: COLD_RUNS }, () => processCost(code, cwd));
  return {
    ms: Math.min(...runs.map((r) => r.ms)),
    cpuMs: Math.min(...runs.map((r) => r.cpuMs)),
  };
}

const above = (cost: ProcessCost, bare: ProcessCost): ProcessCost => ({
  ms: cost.ms - bare.ms,
  cpuMs: cost.cpuMs - bare.cpuMs,
});

interface ColdRow extends ProcessCost {
  readonly name: string;
}

export interface ColdStart {
  readonly runs: number;
  readonly bareNodeMs: number;
  readonly bareNodeCpuMs: number;
  readonly clients: readonly ColdRow[];
  readonly dependencies: readonly ColdRow[];
}

function printColdStart(cold: ColdStart): void {
  console.log(
    `\nCold start: import + ready client from built dist/, fresh process, min of ${cold.runs}, above bare node (${fmt(cold.bareNodeMs)} ms, ${fmt(cold.bareNodeCpuMs)} ms CPU)`,
  );
  const undici = undiciFloor(cold);
  console.table(
    [
      ...cold.clients,
      ...cold.dependencies.map((d) => ({ ...d, name: `  dependency: ${d.name}` })),
    ].map((c) => ({
      case: c.name,
      ms: fmt(c.ms),
      '×undici': fmt(c.ms / undici.ms, 2),
      'CPU ms': fmt(c.cpuMs),
      'CPU ×undici': fmt(c.cpuMs / undici.cpuMs, 2),
    })),
  );
}

/** The row cold-start ratios are to: undici's index imported and a `Pool` made. */
const undiciFloor = (cold: ColdStart): ColdRow =>
  cold.clients.find((c) => c.name === UNDICI_FLOOR)!;
/** The row of undici's Agent module alone: the part of undici Splice's start-up loads. */
const undiciAgentAlone = (cold: ColdStart): ColdRow =>
  cold.clients.find((c) => c.name.startsWith('undici Agent alone'))!;

function coldStart(): ColdStart {
  const bare = minOf('', BENCH_DIR);
  return {
    runs: COLD_RUNS,
    bareNodeMs: bare.ms,
    bareNodeCpuMs: bare.cpuMs,
    clients: Object.entries(CLIENT_STARTS).map(([name, code]) => ({
      name,
      ...above(minOf(code, BENCH_DIR), bare),
    })),
    dependencies: DEPENDENCY_STARTS.map(([name, cwd]) => ({
      name,
      ...above(minOf(`await import(${JSON.stringify(name)});`, cwd), bare),
    })),
  };
}

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function heaps(apiOrigin: string): Promise<HeapRow[]> {
  const all: HeapRow[] = [];
  for (const count of HEAP_COUNTS) {
    for (const name of heapSpliceOnly ? [SPLICE] : OAUTH_CASES)
      all.push(await heapOf(name, count, apiOrigin));
    // The same runtime with its records in a SQLite file: what the runtime itself keeps.
    all.push(await heapOf(SPLICE, count, apiOrigin, 'SqliteStore'));
  }
  console.log(
    `\nHeap per instance with a cached token, after the first call and GC (Splice's records in the MemoryStore, then in a SqliteStore file; warm-up: ${HEAP_WARM_UP} instances on a client thrown away)`,
  );
  console.table(
    all.map((h) => ({
      case: h.store === undefined ? h.name : `${h.name} (${h.store})`,
      instances: fmt(h.instances),
      'bytes per instance': fmt(h.bytesPerInstance),
    })),
  );
  return all;
}

async function main(): Promise<void> {
  const gitRev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  console.log(
    `Splice bench — ${new Date().toISOString()} — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${os.loadavg()[0]?.toFixed(1)}`,
  );
  const server = child('./server.ts');
  const { port } = await message<{ port: number }>(server);
  const apiOrigin = `http://127.0.0.1:${port}`;
  const provider = await startProviderSimulator();

  const rows = await requestPath(provider, apiOrigin);
  await provider.close();
  const floor = rows.find((r) => r.name === FLOOR)!;
  console.log(
    `\nRequest path (keep-alive node:http server in another process; each case in its own process; medians of ${ROUNDS} interleaved rounds; CPU = process.cpuUsage() of the client per call)`,
  );
  console.table(
    rows.map((r) => ({
      case: r.name,
      'seq req/s': fmt(r.sequential.rps),
      'seq p50 µs': fmt(r.sequential.p50Us),
      'seq p99 µs': fmt(r.sequential.p99Us),
      'seq CPU µs/call': fmt(r.sequential.cpuUsPerCall, 1),
      'seq CPU ×floor': fmt(r.sequential.cpuUsPerCall / floor.sequential.cpuUsPerCall, 2),
      [`c${CONCURRENCY} req/s`]: fmt(r.concurrent.rps),
      [`c${CONCURRENCY} p50 µs`]: fmt(r.concurrent.p50Us),
      [`c${CONCURRENCY} p99 µs`]: fmt(r.concurrent.p99Us),
      [`c${CONCURRENCY} CPU µs/call`]: fmt(r.concurrent.cpuUsPerCall, 1),
      [`c${CONCURRENCY} CPU ×floor`]: fmt(
        r.concurrent.cpuUsPerCall / floor.concurrent.cpuUsPerCall,
        2,
      ),
    })),
  );

  if (only === 'path') {
    server.disconnect();
    return;
  }

  const storms: Array<StormRow | string> = [];
  for (const name of OAUTH_CASES) storms.push(await stormOf(name));
  storms.push(await stormAcrossProcesses(apiOrigin));
  console.log(
    `\nRefresh storm (${fmt(STORM_CALLS)} concurrent calls on a client whose access token has expired)`,
  );
  console.table(
    storms.map((s) =>
      typeof s === 'string'
        ? { case: `${SPLICE}, 4 processes sharing Redis`, result: s }
        : {
            case: s.name,
            'refresh requests': s.refreshRequests,
            'refused (invalid_grant)': s.refusedRefreshes,
            failed: s.failed,
            'ms until all done': fmt(s.ms),
          },
    ),
  );

  const heap = await heaps(apiOrigin);
  server.disconnect();

  const cold = coldStart();
  printColdStart(cold);
  const undiciCold = undiciFloor(cold);

  const spliceRow = rows.find((r) => r.name === SPLICE)!;
  const spliceCold = cold.clients.find((c) => c.name === 'Splice')!;
  const targets = {
    heapBytesPerInstance: Object.fromEntries(
      heap
        .filter((h) => h.name === SPLICE && h.store === 'MemoryStore')
        .map((h) => [h.instances, h.bytesPerInstance]),
    ),
    coldStartXUndici: spliceCold.ms / undiciCold.ms,
    coldStartCpuXUndici: spliceCold.cpuMs / undiciCold.cpuMs,
    // Splice's own start-up: above the part of undici it loads.
    coldStartCpuAboveUndiciAgentMs: spliceCold.cpuMs - undiciAgentAlone(cold).cpuMs,
    cpuXFloor: {
      sequential: spliceRow.sequential.cpuUsPerCall / floor.sequential.cpuUsPerCall,
      concurrent: spliceRow.concurrent.cpuUsPerCall / floor.concurrent.cpuUsPerCall,
    },
  };
  console.log(
    '\nTargets (Splice): heap ≤ 1,024 B/instance, cold start ≤ 1.3× undici, CPU ≤ 1.10× floor',
  );
  console.log(JSON.stringify(targets, null, 2));

  const results = {
    date: new Date().toISOString(),
    commit: gitRev,
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      node: process.version,
      loadAverage1m: os.loadavg()[0],
    },
    settings: {
      sequential: SEQUENTIAL,
      concurrent: CONCURRENT,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      stormCalls: STORM_CALLS,
      coldRuns: COLD_RUNS,
      heapWarmUp: HEAP_WARM_UP,
      quick,
    },
    requestPath: rows,
    storm: storms,
    heap,
    coldStart: cold,
    targets,
  };
  writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nWrote bench/results.json');
}

if (only === 'cold') {
  const cold = coldStart();
  printColdStart(cold);
  const undici = undiciFloor(cold);
  const splice = cold.clients.find((c) => c.name === 'Splice')!;
  console.log(
    `\nSplice cold start ×undici: ${fmt(splice.ms / undici.ms, 2)} wall-clock, ${fmt(splice.cpuMs / undici.cpuMs, 2)} CPU (target ≤ 1.3); ${fmt(splice.cpuMs - undiciAgentAlone(cold).cpuMs)} ms CPU above undici's Agent alone`,
  );
} else if (only === 'heap') {
  const server = child('./server.ts');
  const { port } = await message<{ port: number }>(server);
  await heaps(`http://127.0.0.1:${port}`);
  server.disconnect();
  console.log('\n--only heap: bench/results.json left as it is');
} else await main();
