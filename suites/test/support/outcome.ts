import { SpliceError } from '@splice/core';

/** Codes of the coded `TypeError`s Splice throws for caller mistakes. */
const TYPE_ERROR_CODES = new Set(['INVALID_ARGUMENT', 'INVALID_OPTION']);

/**
 * Classifies what a fuzzed call threw: a `SpliceError` code, `TypeError:<code>` for Splice's coded
 * caller-mistake errors, or `undefined` for anything else (a crash: the fuzz target failed).
 *
 * @example
 * ```ts
 * expect(classify(error)).toBe('CONNECTOR_INVALID');
 * ```
 */
export function classify(error: unknown): string | undefined {
  if (SpliceError.is(error)) return error.code;
  if (error instanceof TypeError) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && TYPE_ERROR_CODES.has(code)) return `TypeError:${code}`;
  }
  return undefined;
}

/** Describes an unexpected error for a failure message (no secrets are involved in fuzz input). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${error.constructor.name}${code === undefined ? '' : ` [${String(code)}]`}: ${error.message}`;
  }
  return `non-Error thrown: ${String(error)}`;
}

/**
 * What `promise` was rejected with, as a `SpliceError`; fails the test when it resolved or threw
 * something else.
 *
 * @example
 * ```ts
 * expect((await rejection(runtime.callEndpoint(instance, 'get'))).code).toBe('TIMEOUT');
 * ```
 */
export async function rejection(promise: Promise<unknown>): Promise<SpliceError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!SpliceError.is(error))
    throw new Error(`expected a SpliceError, got ${describeError(error)}`);
  return error;
}
