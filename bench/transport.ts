// `pnpm bench:transport`: where the client CPU of a Splice call goes, in three measurements that
// hold still on a shared machine better than `pnpm bench`'s one-process-per-case rows (used for
// bench/ANALYSIS.md, never part of the test command):
// - the exchange alone, in one process over the benchmark server, interleaved blocks of calls:
//   undici `Pool.request` + `body.json()` (the floor) against `@splice/http`'s `sendRequest`
//   (undici `dispatch` with a collecting handler) + `JSON.parse`, through a `Pool` and through
//   the runtime's default `Agent` (64 sockets per origin) and one without a socket bound, with the
//   runtime's request options and without its per-request timeouts;
// - Splice's own work: `runtime.callEndpoint` with a cached token through a stub dispatcher that
//   answers on the next turn of the event loop (no network), against the same stub dispatched to
//   directly and the JSON parsed;
// - a whole call: `pnpm bench`'s floor and Splice cases, set up as it sets them up, interleaved.
// Prints the median and minimum client CPU per call (`process.cpuUsage()`) of each.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MemoryStore } from '@splice/core';
import { createRuntime, DEFAULT_CONNECTIONS_PER_ORIGIN } from '@splice/endpoint-runtime';
import { sendRequest } from '@splice/http';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { startProviderSimulator } from '@splice/testkit';
import { Agent, Dispatcher, Pool } from 'undici';
import {
  addBenchInstanceWithCode,
  benchConnector,
  benchRuntime,
  REDIRECT_URI,
} from './fixtures.js';
import { concurrent, sequential } from './measure.js';
import { type CaseName, createClient } from './peers.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));
const ROUNDS = 12;
type Call = () => Promise<void>;

async function cpuPerCall(call: Call, calls: number, inFlight: number): Promise<number> {
  const before = process.cpuUsage();
  if (inFlight === 1) await sequential(call, calls);
  else await concurrent(call, calls, inFlight);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / calls;
}

/** Interleaved rounds of every case; the median and minimum CPU per call of each. */
async function compare(
  cases: Record<string, Call>,
  calls: number,
  inFlight: number,
): Promise<Array<{ case: string; median: number; min: number }>> {
  for (const call of Object.values(cases)) await cpuPerCall(call, calls, inFlight); // warm-up
  const runs = new Map<string, number[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of Object.entries(cases)) {
      runs.set(name, [...(runs.get(name) ?? []), await cpuPerCall(call, calls, inFlight)]);
    }
  }
  return [...runs].map(([name, all]) => {
    const sorted = all.sort((a, b) => a - b);
    return { case: name, median: sorted[sorted.length >> 1]!, min: sorted[0]! };
  });
}

function print(title: string, rows: Array<{ case: string; median: number; min: number }>): void {
  const base = rows[0]!.median;
  console.log(`\n${title}`);
  console.table(
    rows.map((r) => ({
      case: r.case,
      'CPU µs/call (median)': r.median.toFixed(1),
      min: r.min.toFixed(1),
      [`× ${rows[0]!.case}`]: (r.median / base).toFixed(2),
    })),
  );
}

const exchange = {
  failure: 'ENDPOINT_REQUEST_FAILED',
  subject: 'The endpoint request',
  maxBytes: 16 << 20,
} as const;

async function exchanges(origin: string): Promise<void> {
  const headers = { authorization: 'Bearer at_0123456789abcdefghijkl' };
  const pool = (): Pool => new Pool(origin, { connections: 64, pipelining: 1 });
  const floor = pool();
  const viaPool = pool();
  const bare = pool();
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    connections: DEFAULT_CONNECTIONS_PER_ORIGIN,
  });
  const unbounded = new Agent({ keepAliveTimeout: 10_000 });
  // The runtime's request shape: its endpoint timeout per request, redirects off.
  const request = {
    origin,
    path: '/orders',
    method: 'GET',
    headers,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
    maxRedirections: 0,
  } as const;
  // The same without its timeouts: undici's defaults (the dispatcher's) apply.
  const untimed = { origin, path: '/orders', method: 'GET', headers, maxRedirections: 0 } as const;
  const cases: Record<string, Call> = {
    'Pool.request + body.json() (floor)': async () => {
      const res = await floor.request({ path: '/orders', method: 'GET', headers });
      await res.body.json();
    },
    'sendRequest, Pool': async () => {
      JSON.parse((await sendRequest(viaPool, request, exchange)).body);
    },
    'sendRequest, Pool, no timeouts per request': async () => {
      JSON.parse((await sendRequest(bare, untimed, exchange)).body);
    },
    'sendRequest, Agent (the default: 64 sockets per origin)': async () => {
      JSON.parse((await sendRequest(agent, request, exchange)).body);
    },
    'sendRequest, Agent without a socket bound': async () => {
      JSON.parse((await sendRequest(unbounded, request, exchange)).body);
    },
  };
  print('The exchange alone, sequential', await compare(cases, 2_000, 1));
  print('The exchange alone, 64 in flight', await compare(cases, 5_000, 64));
  await Promise.all([
    floor.close(),
    viaPool.close(),
    bare.close(),
    agent.close(),
    unbounded.close(),
  ]);
}

const body = Buffer.from(JSON.stringify({ orders: [{ id: 1, status: 'open' }] }));
const answerHeaders = { 'content-type': 'application/json', 'content-length': String(body.length) };

/** Answers every request with `body` on the next turn of the event loop; sends nothing. */
class StubDispatcher extends Dispatcher {
  override dispatch(_options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    const controller = {
      aborted: false,
      paused: false,
      reason: null,
      abort() {},
      pause() {},
      resume() {},
    };
    setImmediate(() => {
      handler.onRequestStart?.(controller, {});
      handler.onResponseStart?.(controller, 200, answerHeaders, 'OK');
      handler.onResponseData?.(controller, body);
      handler.onResponseEnd?.(controller, {});
    });
    return true;
  }
  override async close(): Promise<void> {}
}

async function ownWork(): Promise<void> {
  const provider = await startProviderSimulator();
  const connector = benchConnector(provider, 'http://127.0.0.1:9');
  const store = new MemoryStore();
  // The code exchange goes to the simulator through the default dispatcher; calls use the stub.
  const setup = benchRuntime(connector, store);
  const instanceId = await addBenchInstanceWithCode(setup, provider.issueCode(REDIRECT_URI));
  await setup.close();
  const stub = new StubDispatcher();
  const runtime = createRuntime({
    connectors: [connector],
    strategies: [oauth2AuthorizationCode()],
    store,
    retry: { retries: 0 },
    dispatcher: stub,
  });
  const cases: Record<string, Call> = {
    'stub dispatch + JSON.parse': () =>
      new Promise<void>((resolve, reject) => {
        stub.dispatch(
          { origin: 'http://127.0.0.1:9', path: '/orders', method: 'GET' },
          {
            onResponseEnd: () => resolve(),
            onResponseError: (_controller, error) => reject(error),
          },
        );
      }).then(() => {
        JSON.parse(body.toString('utf8'));
      }),
    'runtime.callEndpoint, stub dispatcher': async () => {
      await runtime.callEndpoint(instanceId, 'list-orders');
    },
  };
  print(
    "Splice's own work: a call with a cached token through a stub dispatcher, sequential",
    await compare(cases, 20_000, 1),
  );
  await runtime.close();
  await provider.close();
}

/** The floor and Splice as `pnpm bench` sets them up, but interleaved in one process. */
async function wholeCalls(apiOrigin: string): Promise<void> {
  const provider = await startProviderSimulator();
  const target = {
    apiOrigin,
    tokenUrl: provider.tokenUrl,
    authorizationUrl: provider.authorizationUrl,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
  };
  const names: CaseName[] = ['undici Pool.request (floor)', 'splice callEndpoint'];
  const clients = await Promise.all(
    names.map((name) => createClient(name, target, { code: provider.issueCode(REDIRECT_URI) }, 64)),
  );
  const cases = Object.fromEntries(names.map((name, i) => [name, () => clients[i]!.call()]));
  print('A whole call, sequential', await compare(cases, 2_000, 1));
  print('A whole call, 64 in flight', await compare(cases, 5_000, 64));
  for (const client of clients) await client.close();
  await provider.close();
}

const server = fork(here('./server.ts'), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const port = await new Promise<number>((resolve) =>
  server.once('message', (m) => resolve((m as { port: number }).port)),
);
await exchanges(`http://127.0.0.1:${port}`);
await wholeCalls(`http://127.0.0.1:${port}`);
server.disconnect();
await ownWork();
