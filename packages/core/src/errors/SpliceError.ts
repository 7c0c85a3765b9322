import type { SpliceErrorCode } from './codes.js';
import type { SpliceErrorDetails } from './SpliceErrorDetails.js';

// A registry-wide brand: two copies of @splice/core (duplicate installs) still recognise each
// other's errors, which `instanceof` cannot do.
const kSpliceError = Symbol.for('splice.error');

// Details with no fact at all: a code whose details type accepts it may omit `details`.
type NoFacts = Record<string, never>;

/**
 * Options of {@link SpliceError}: the details its code carries (typed per code), and a cause.
 *
 * @example
 * ```ts
 * const options: SpliceErrorOptions<'INSTANCE_NOT_FOUND'> = { details: { instanceId: 'i1' } };
 * ```
 */
export type SpliceErrorOptions<C extends SpliceErrorCode = SpliceErrorCode> = {
  /** The underlying error or parsed response body. Must hold no secret value. */
  readonly cause?: unknown;
} & (NoFacts extends SpliceErrorDetails<C>
  ? { readonly details?: SpliceErrorDetails<C> }
  : { readonly details: SpliceErrorDetails<C> });

/**
 * The one error class of Splice. Every failure the SDK reports (other than caller mistakes, which
 * are coded `TypeError`s) is a `SpliceError` with a stable {@link SpliceErrorCode} and secret-free
 * `details` whose type follows the code (`SpliceErrorDetailsByCode`). Messages say which field,
 * what was wrong and what to do; they never hold a secret or token.
 *
 * @example
 * ```ts
 * try {
 *   await runtime.callEndpoint(instanceId, 'list-orders');
 * } catch (err) {
 *   if (SpliceError.is(err, 'ENDPOINT_HTTP_ERROR')) console.log(err.details.status);
 * }
 * ```
 */
export class SpliceError<C extends SpliceErrorCode = SpliceErrorCode> extends Error {
  /** Stable machine-readable code. */
  readonly code: C;
  /** Secret-free facts about the failure, typed by `code`. */
  readonly details: SpliceErrorDetails<C>;

  constructor(
    code: C,
    message: string,
    ...[options]: NoFacts extends SpliceErrorDetails<C>
      ? [options?: SpliceErrorOptions<C>]
      : [options: SpliceErrorOptions<C>]
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = (options?.details ?? {}) as SpliceErrorDetails<C>;
    Object.defineProperty(this, kSpliceError, { value: true });
  }

  override get name(): string {
    return 'SpliceError';
  }

  /**
   * True when `value` is a `SpliceError` from any copy of `@splice/core`, optionally with `code`
   * (which narrows `details` to that code's type).
   *
   * @example
   * ```ts
   * if (SpliceError.is(err, 'TOKEN_REQUEST_FAILED')) err.details.oauthError; // string | undefined
   * ```
   */
  static is<K extends SpliceErrorCode = SpliceErrorCode>(
    value: unknown,
    code?: K,
  ): value is SpliceError<K> {
    if (typeof value !== 'object' || value === null) return false;
    if ((value as Record<symbol, unknown>)[kSpliceError] !== true) return false;
    return code === undefined || (value as SpliceError).code === code;
  }
}
