import { SpliceError } from '@splice/core';

/**
 * `RUNTIME_CLOSED`: the runtime was closed and refuses further work.
 *
 * @example
 * ```ts
 * if (closed) throw runtimeClosed();
 * ```
 */
export function runtimeClosed(): SpliceError {
  return new SpliceError('RUNTIME_CLOSED', 'The runtime was closed: create a new one.');
}
