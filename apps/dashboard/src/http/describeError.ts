import { SpliceError } from '@splice/core';

/**
 * An error as the dashboard shows it: code, message and, for HTTP errors, status and body.
 *
 * @example
 * ```ts
 * const view: ErrorView = { code: 'AUTH_DENIED', message: 'The user denied access', httpStatus: 400 };
 * ```
 */
export interface ErrorView {
  readonly code: string;
  readonly message: string;
  /** HTTP status of an `ENDPOINT_HTTP_ERROR` or token-endpoint failure, when known. */
  readonly status?: number;
  /** The bounded response body the runtime kept, when there is one. */
  readonly body?: string;
  /** HTTP status the dashboard answers with. */
  readonly httpStatus: number;
}

// Failures caused by what the user entered or clicked: answered 400, everything else 502/500.
const USER_CODES = new Set([
  'VARIABLE_MISSING',
  'VARIABLE_INVALID',
  'TEMPLATE_UNRESOLVED',
  'TEMPLATE_UNSAFE_VALUE',
  'AUTH_STATE_INVALID',
  'AUTH_DENIED',
  'AUTH_ISSUER_MISMATCH',
  'CREDENTIALS_INVALID',
  'ENDPOINT_NOT_ENABLED',
  'ENDPOINT_NOT_FOUND',
  'INVALID_ARGUMENT',
  'INVALID_OPTION',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Turns anything thrown by the runtime into what the page shows. `SpliceError` messages are
 * secret-free by contract (SPEC §7) and shown as they are; coded `TypeError`s are caller mistakes
 * (the form sent something wrong); anything else is shown by its message only.
 *
 * @example
 * ```ts
 * describeError(new SpliceError('AUTH_DENIED', 'The user denied access')).code; // 'AUTH_DENIED'
 * ```
 */
export function describeError(error: unknown): ErrorView {
  const message = error instanceof Error ? error.message : String(error);
  const code = SpliceError.is(error) ? error.code : (codeOf(error) ?? 'UNEXPECTED_ERROR');
  const httpStatus =
    code === 'INSTANCE_NOT_FOUND'
      ? 404
      : USER_CODES.has(code)
        ? 400
        : code === 'UNEXPECTED_ERROR'
          ? 500
          : 502;
  const view: { -readonly [K in keyof ErrorView]: ErrorView[K] } = { code, message, httpStatus };
  if (SpliceError.is(error)) {
    const { status, body } = error.details as { status?: unknown; body?: unknown };
    if (typeof status === 'number') view.status = status;
    if (typeof body === 'string' && body !== '') view.body = body;
  }
  return view;
}
