// A child process of describeRuntimeOnStoreConformance, playing one process of an engine: a Splice
// runtime on the shared store that fires `calls` concurrent callEndpoint on one instance when
// the test says "go", then reports how they ended.
// argv: <store process module URL> <JSON RuntimeWorkerConfig>
import { type JsonObject, parseConnector, SpliceError } from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { Agent, type Dispatcher } from 'undici';
import { createFaultyStore } from '../store/createFaultyStore.js';
import { loadStoreProcessModule } from './loadStoreProcessModule.js';

/** What a runtime worker is told to do. */
export interface RuntimeWorkerConfig {
  readonly storeOptions: JsonObject;
  readonly connector: JsonObject;
  readonly instanceId: string;
  readonly endpointId: string;
  readonly calls: number;
  /**
   * Simulates a worker that dies while refreshing: its token requests are swallowed (never sent)
   * and the test is told (`refreshing`), so it can kill this process while it holds the refresh
   * lock.
   */
  readonly hangOnRefresh?: boolean;
  /** Rate limits through the store module's `createLimiterFactory` (shared by every process). */
  readonly sharedLimiter?: boolean;
  /**
   * Make one call before reporting ready: it loads the instance and opens the connection, which
   * the first call of a process otherwise pays for (it would skew timing measurements).
   */
  readonly warmUp?: boolean;
  /**
   * The first N writes of credentials by this process fail with `STORE_UNAVAILABLE` (the store
   * is wrapped by `createFaultyStore`): a store failing right after the provider answered.
   */
  readonly failCredentialsWrites?: number;
  /**
   * How many times the worker answers "go" (default 1): each round fires `calls` calls and
   * reports; the runtime closes after the last. Between rounds the test may change the store.
   */
  readonly rounds?: number;
  /** `createRuntime({ statusRecheckMs })`. */
  readonly statusRecheckMs?: number;
}

/** How a worker's calls ended: successes, and failures counted by error code. */
export interface RuntimeWorkerReport {
  readonly type: 'report';
  readonly ok: number;
  readonly failures: Record<string, number>;
  /** `store.get` calls this process made during the round (the runtime's and the strategy's). */
  readonly storeGets: number;
}

const [moduleUrl, json] = process.argv.slice(2);
const config = JSON.parse(json!) as RuntimeWorkerConfig;
const module = await loadStoreProcessModule(moduleUrl!, [
  'createAuthorizationCodeStrategy',
  ...(config.sharedLimiter === true ? (['createLimiterFactory'] as const) : []),
]);
const store = createFaultyStore(await module.createStore(config.storeOptions));
if (config.failCredentialsWrites !== undefined)
  store.arm({ keyPrefix: 'credentials:', times: config.failCredentialsWrites });
// Counts the reads each round makes: the healthy call path must make none.
let storeGets = 0;
const get = store.get.bind(store);
store.get = ((...args: Parameters<typeof get>) => {
  storeGets += 1;
  return get(...args);
}) as typeof store.get;
// Long enough to outwait a dead holder's lease (the method's timeout + 5 s).
const strategies = [
  module.createAuthorizationCodeStrategy!({ lockWaitMs: 60_000 }),
  ...(module.createClientCredentialsStrategy === undefined
    ? []
    : [module.createClientCredentialsStrategy({ lockWaitMs: 60_000 })]),
];

const agent = new Agent();
let dispatcher: Dispatcher = agent;
if (config.hangOnRefresh === true) {
  dispatcher = agent.compose((dispatch) => (options, handler) => {
    if (options.method === 'POST' && String(options.path).endsWith('/token')) {
      process.send!({ type: 'refreshing' });
      return true; // never sent, never answered: the process is killed here
    }
    return dispatch(options, handler);
  });
}
const limiterFactory =
  config.sharedLimiter === true ? module.createLimiterFactory!(config.storeOptions) : undefined;

const runtime = createRuntime({
  connectors: [parseConnector(config.connector)],
  strategies,
  store,
  dispatcher,
  ...(limiterFactory === undefined ? {} : { limiterFactory }),
  ...(config.statusRecheckMs === undefined ? {} : { statusRecheckMs: config.statusRecheckMs }),
});
if (config.warmUp === true) await runtime.callEndpoint(config.instanceId, config.endpointId);
process.send!({ type: 'ready' });

const rounds = config.rounds ?? 1;
let round = 0;
let running = false;
process.on('message', async (message: { type?: string }) => {
  if (message.type !== 'go' || running || round >= rounds) return;
  running = true;
  round += 1;
  storeGets = 0;
  const results = await Promise.allSettled(
    Array.from({ length: config.calls }, () =>
      runtime.callEndpoint(config.instanceId, config.endpointId),
    ),
  );
  const failures: Record<string, number> = {};
  let ok = 0;
  for (const result of results) {
    if (result.status === 'fulfilled' && result.value.status === 200) ok += 1;
    else {
      const reason = result.status === 'rejected' ? result.reason : undefined;
      const code = SpliceError.is(reason) ? reason.code : String(reason ?? 'non-200');
      failures[code] = (failures[code] ?? 0) + 1;
    }
  }
  const report: RuntimeWorkerReport = { type: 'report', ok, failures, storeGets };
  running = false;
  if (round < rounds) {
    process.send!(report);
    return;
  }
  await runtime.close();
  await limiterFactory?.close();
  await store.close();
  await agent.close();
  process.send!(report, () => process.disconnect());
});
