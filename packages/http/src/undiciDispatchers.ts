import { createRequire } from 'node:module';
import type { Agent, Dispatcher } from 'undici';

// undici's index (`import … from 'undici'`) loads every part of undici: fetch, WebSocket,
// EventSource, caches, cookies, mocks, proxies — 110 CommonJS files, ~135 ms of CPU in a fresh
// process on the benchmark machine. Splice sends through a `Dispatcher` and needs undici's
// `Agent` (the runtime's default dispatcher) and its global dispatcher (strategies' default):
// their own modules load in ~25–40 ms. They are the same modules the index re-exports, so the
// class and the global dispatcher are the ones an engine gets from `undici` itself
// (`undiciDispatchers.test.ts` checks it). Each is loaded on first use, with a `require` written
// out where it is needed: the `splice` command's bundle rewrites the literal `require(…)` to its
// bundled copy, and an ES module without a `require` of its own resolves from this package.

let AgentClass: typeof Agent | undefined;
let getGlobal: (() => Dispatcher) | undefined;

/**
 * undici's `Agent` class (`undici/lib/dispatcher/agent.js`, what `import { Agent } from 'undici'`
 * gives), loaded on the first call.
 *
 * @example
 * ```ts
 * const Agent = undiciAgent();
 * const dispatcher = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
 * ```
 */
export function undiciAgent(): typeof Agent {
  AgentClass ??=
    typeof require === 'function'
      ? (require('undici/lib/dispatcher/agent.js') as typeof Agent)
      : (createRequire(import.meta.url)('undici/lib/dispatcher/agent.js') as typeof Agent);
  return AgentClass;
}

/**
 * undici's global dispatcher, as `getGlobalDispatcher()` from `undici` returns it (the one
 * `setGlobalDispatcher` set, else an `Agent` undici creates once per process). Loads
 * `undici/lib/global.js` on the first call.
 */
export function undiciGlobalDispatcher(): Dispatcher {
  getGlobal ??= (
    typeof require === 'function'
      ? require('undici/lib/global.js')
      : createRequire(import.meta.url)('undici/lib/global.js')
  ).getGlobalDispatcher as () => Dispatcher;
  return getGlobal();
}
