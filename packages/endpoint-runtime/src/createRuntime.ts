import { invalidArgument, redirectUriProblem, type Store } from '@splice/core';
import { Container } from 'inversify';
import { RuntimeServices } from './container/RuntimeServices.js';
import { resolveSettings } from './container/RuntimeSettings.js';
import { runtimeModule } from './container/runtimeModule.js';
import type { Runtime } from './Runtime.js';
import type { RuntimeOptions } from './RuntimeOptions.js';

// Every option createRuntime reads (RuntimeOptions): a misspelt one is refused, not ignored. Typed
// against RuntimeOptions both ways, so a new option cannot be left out (and then refused).
const OPTION_NAMES: ReadonlySet<string> = new Set(
  Object.keys({
    connectors: true,
    strategies: true,
    store: true,
    callbackUrl: true,
    dispatcher: true,
    logger: true,
    now: true,
    limiterFactory: true,
    layers: true,
    modules: true,
    retry: true,
    maxResponseBytes: true,
    statusRecheckMs: true,
    sessionCacheSize: true,
  } satisfies Record<keyof RuntimeOptions, true>),
);
// Every method of core's Store contract, typed against it both ways.
const STORE_METHODS = Object.keys({
  get: true,
  set: true,
  take: true,
  delete: true,
  keys: true,
  acquireLease: true,
  close: true,
} satisfies Record<keyof Store, true>);

// The caller's mistakes in options, each a coded TypeError naming the option (SPEC §7): checked
// here, at once, instead of failing later inside a call with an uncoded error.
function checkOptions(options: RuntimeOptions): void {
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw invalidArgument(
        `unknown option "${name}"; the options are ${[...OPTION_NAMES].join(', ')}`,
        'INVALID_OPTION',
      );
    }
  }
  options.connectors.forEach((connector, index) => {
    const c = connector as unknown as Record<string, unknown> | null;
    if (
      c === null ||
      typeof c !== 'object' ||
      typeof c['id'] !== 'string' ||
      !Array.isArray(c['authMethods']) ||
      !Array.isArray(c['endpoints']) ||
      !(c['authMethods'] as unknown[]).every(
        (m) =>
          m !== null &&
          typeof m === 'object' &&
          Array.isArray((m as Record<string, unknown>)['variables']),
      )
    ) {
      throw invalidArgument(
        `"connectors[${index}]" is not a parsed connector definition: pass what parseConnector, parseConnectorText or loadConnector returns`,
        'INVALID_OPTION',
      );
    }
  });
  const { callbackUrl, store, dispatcher } = options;
  if (
    dispatcher !== undefined &&
    typeof (dispatcher as unknown as Record<string, unknown> | null)?.['dispatch'] !== 'function'
  ) {
    throw invalidArgument(
      '"dispatcher" is not an undici Dispatcher (it has no dispatch method): pass an undici 7 Agent, Pool or Client, or leave it out for the runtime\'s own Agent',
      'INVALID_OPTION',
    );
  }
  const callbackProblem =
    callbackUrl === undefined
      ? undefined
      : redirectUriProblem(typeof callbackUrl === 'string' ? callbackUrl : '');
  if (callbackProblem !== undefined) {
    throw invalidArgument(`"callbackUrl" ${callbackProblem}`, 'INVALID_OPTION');
  }
  if (store !== undefined) {
    const missing = STORE_METHODS.filter(
      (name) => typeof (store as unknown as Record<string, unknown> | null)?.[name] !== 'function',
    );
    if (missing.length > 0) {
      throw invalidArgument(
        `"store" is not a Store (no ${missing.join(', ')}): pass a MemoryStore, SqliteStore, RedisStore or your own implementation of the Store contract`,
        'INVALID_OPTION',
      );
    }
  }
}

/**
 * Builds a Splice runtime: one inversify container holding the connectors, the strategies (one per
 * method `type`), the store, logger, clock, undici dispatcher and rate-limiter factory, plus any
 * `modules` the engine adds (loaded after the runtime's own, so they may bind more strategies or
 * `rebind` a service). Every connector is resolved against the strategies and its templates are
 * compiled here: a method type without a strategy throws `STRATEGY_MISSING` at once.
 *
 * @example
 * ```ts
 * import { createRuntime } from '@splice/endpoint-runtime';
 * import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
 *
 * const runtime = createRuntime({
 *   connectors: [acme],
 *   strategies: [oauth2AuthorizationCode()],
 *   callbackUrl: 'https://flows.example/oauth/callback',
 * });
 * ```
 */
export function createRuntime(options: RuntimeOptions): Runtime {
  if (options === null || typeof options !== 'object') {
    throw invalidArgument('createRuntime needs an options object', 'INVALID_OPTION');
  }
  if (!Array.isArray(options.connectors)) {
    throw invalidArgument(
      '"connectors" must be an array of parsed connector definitions (parseConnector / loadConnector)',
      'INVALID_OPTION',
    );
  }
  if (options.strategies !== undefined && !Array.isArray(options.strategies)) {
    throw invalidArgument('"strategies" must be an array of AuthStrategy', 'INVALID_OPTION');
  }
  checkOptions(options);
  const settings = resolveSettings(options);
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(runtimeModule(options, settings), ...(options.modules ?? []));
  return container.get(RuntimeServices.Runtime);
}
