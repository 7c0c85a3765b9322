import type { Logger, Store } from '@splice/core';

/**
 * The runtime's services every strategy context carries.
 *
 * @example
 * ```ts
 * const services: AuthServices = { store, logger, now: Date.now, dispatcher, callbackUrl };
 * ```
 */
export interface AuthServices {
  readonly store: Store;
  readonly logger: Logger;
  readonly now: () => number;
  /** An undici `Dispatcher`; undefined means undici's global one. */
  readonly dispatcher: object | undefined;
  readonly callbackUrl: string | undefined;
}
