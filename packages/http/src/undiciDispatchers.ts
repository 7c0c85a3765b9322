/// <reference path="./types/undici-agent.d.ts" />
import type { Agent, Dispatcher } from 'undici';
import AgentClass from 'undici/lib/dispatcher/agent.js';

// undici's index (`import … from 'undici'`) loads every part of undici: fetch, WebSocket,
// EventSource, caches, cookies, mocks, proxies — 110 CommonJS files, ~135 ms of CPU in a fresh
// process on the benchmark machine. Splice sends through a `Dispatcher` and needs undici's
// `Agent`: its own module (23 files) loads in ~25 ms. It is the module the index re-exports, so
// the class is the one an engine gets from `undici` (`undiciDispatchers.test.ts` checks it). The
// import is static, so that a bundler building an engine's application follows it.

/**
 * undici's `Agent` class (`undici/lib/dispatcher/agent.js`, what `import { Agent } from 'undici'`
 * gives).
 *
 * @example
 * ```ts
 * const dispatcher = new UndiciAgent({ keepAliveTimeout: 10_000, connections: 64 });
 * ```
 */
export const UndiciAgent: typeof Agent = AgentClass;

// Where undici 7's `setGlobalDispatcher` keeps the global dispatcher for its own handler API
// (undici lib/global.js: version 2; it also writes version 1, the slot older undici reads).
// Node's built-in fetch (undici 6 inside Node 20 and 22) fills only the version 1 slot, with an
// Agent of its own that refuses the handlers Splice dispatches with ("invalid onError method").
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.2');

let processAgent: Dispatcher | undefined;

/**
 * The dispatcher for requests made without one: the one an engine set with undici 7's
 * `setGlobalDispatcher` (as `getGlobalDispatcher()` from `undici` returns it), else an `Agent`
 * of Splice's own, one per process. A dispatcher of an older undici in the global slot (Node's
 * built-in fetch puts one there once `fetch()` has run) is not used: it cannot run Splice's
 * requests.
 */
export function undiciGlobalDispatcher(): Dispatcher {
  const set = (globalThis as Record<symbol, Dispatcher | undefined>)[GLOBAL_DISPATCHER];
  if (set !== undefined) return set;
  processAgent ??= new AgentClass();
  return processAgent;
}
