import { invalidArgument } from '@splice/core';
import { Container } from 'inversify';
import { RuntimeServices } from './container/RuntimeServices.js';
import { resolveSettings } from './container/RuntimeSettings.js';
import { runtimeModule } from './container/runtimeModule.js';
import type { Runtime } from './Runtime.js';
import type { RuntimeOptions } from './RuntimeOptions.js';

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
  const settings = resolveSettings(options);
  const container = new Container({ defaultScope: 'Singleton' });
  container.load(runtimeModule(options, settings), ...(options.modules ?? []));
  return container.get(RuntimeServices.Runtime);
}
