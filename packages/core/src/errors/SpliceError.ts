import type { SpliceErrorCode } from './codes.js';

// A registry-wide brand: two copies of @splice/core (duplicate installs) still recognise each
// other's errors, which `instanceof` cannot do.
const kSpliceError = Symbol.for('splice.error');

/** Safe, secret-free facts attached to an error (ids, keys, status codes, paths). */
export type SpliceErrorDetails = Readonly<Record<string, unknown>>;

/** Options of {@link SpliceError}. */
export interface SpliceErrorOptions {
  /** The underlying error or parsed response body. Must hold no secret value. */
  cause?: unknown;
  /** Secret-free facts: ids, keys, paths, HTTP status. */
  details?: SpliceErrorDetails;
}

/**
 * The one error class of Splice. Every failure the SDK reports (other than caller mistakes, which
 * are coded `TypeError`s) is a `SpliceError` with a stable {@link SpliceErrorCode}.
 * Messages say which field, what was wrong and what to do; they never hold a secret or token.
 *
 * @example
 * ```ts
 * try {
 *   await runtime.callEndpoint(instanceId, 'list-orders');
 * } catch (err) {
 *   if (SpliceError.is(err, 'ENDPOINT_NOT_ENABLED')) console.log(err.message);
 * }
 * ```
 */
export class SpliceError extends Error {
  /** Stable machine-readable code. */
  readonly code: SpliceErrorCode;
  /** Secret-free facts about the failure. */
  readonly details: SpliceErrorDetails;

  constructor(code: SpliceErrorCode, message: string, options: SpliceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    Object.defineProperty(this, kSpliceError, { value: true });
  }

  override get name(): string {
    return 'SpliceError';
  }

  /**
   * True when `value` is a `SpliceError` from any copy of `@splice/core`, optionally with `code`.
   *
   * @example
   * ```ts
   * if (SpliceError.is(err, 'TIMEOUT')) retryLater();
   * ```
   */
  static is<C extends SpliceErrorCode>(
    value: unknown,
    code?: C,
  ): value is SpliceError & { readonly code: C } {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[kSpliceError] !== true) return false;
    return code === undefined || (value as SpliceError).code === code;
  }
}
