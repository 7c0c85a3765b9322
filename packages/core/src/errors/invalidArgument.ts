import type { SpliceTypeErrorCode } from './codes.js';

/** A `TypeError` with a stable `code`, thrown at once for a caller mistake. */
export type SpliceTypeError = TypeError & { readonly code: SpliceTypeErrorCode };

/**
 * Builds the coded `TypeError` Splice throws for caller mistakes: a wrong argument or option.
 * The message names the argument, says what was wrong and what to pass instead.
 *
 * @example
 * ```ts
 * if (typeof id !== 'string') throw invalidArgument('"instanceId" must be a string, got number');
 * ```
 */
export function invalidArgument(
  message: string,
  code: SpliceTypeErrorCode = 'INVALID_ARGUMENT',
): SpliceTypeError {
  const error = new TypeError(message) as TypeError & { code: SpliceTypeErrorCode };
  error.code = code;
  return error;
}
