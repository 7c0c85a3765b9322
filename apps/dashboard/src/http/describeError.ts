import { REDACTED, SECRET_KEY_PATTERN, SpliceError } from '@splice/core';
import { userMessage } from './userMessage.js';

/**
 * An error as the dashboard shows it: code, message and, for HTTP errors, status and body.
 *
 * @example
 * ```ts
 * const view: ErrorView = { code: 'AUTH_DENIED', summary: 'The provider did not grant access.',
 *   message: 'The user denied access', httpStatus: 400 };
 * ```
 */
export interface ErrorView {
  readonly code: string;
  /** What happened, in the user's words. */
  readonly summary: string;
  /** What to do next, when there is something to do. */
  readonly hint?: string;
  /** The runtime's message, written for developers: shown under "Technical details". */
  readonly message: string;
  /** HTTP status of an `ENDPOINT_HTTP_ERROR` or token-endpoint failure, when known. */
  readonly status?: number;
  /** The bounded response body the runtime kept, when there is one. */
  readonly body?: string;
  /** The response headers of an HTTP error, secret-looking ones masked by the runtime. */
  readonly headers?: Readonly<Record<string, string>>;
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

/**
 * Response headers as one line each (repeated ones joined with `, `), names whose values are
 * credentials masked (`Set-Cookie`, `Authorization`, ...) — whatever the runtime already did.
 *
 * @example
 * ```ts
 * headerLines({ 'set-cookie': ['a=1'], 'content-type': 'text/plain' }); // { 'set-cookie': '[redacted]', … }
 * ```
 */
export function headerLines(headers: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = SECRET_KEY_PATTERN.test(name)
      ? REDACTED
      : Array.isArray(value)
        ? value.map(String).join(', ')
        : String(value);
  }
  return out;
}

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
  const details = SpliceError.is(error) ? error.details : {};
  const words = userMessage(code, details, message);
  const view: { -readonly [K in keyof ErrorView]: ErrorView[K] } = {
    code,
    summary: words.summary,
    message,
    httpStatus,
  };
  if (words.hint !== undefined) view.hint = words.hint;
  if (SpliceError.is(error)) {
    const { status, body, headers } = error.details as {
      status?: unknown;
      body?: unknown;
      headers?: unknown;
    };
    if (typeof status === 'number') view.status = status;
    if (typeof body === 'string' && body !== '') view.body = body;
    if (typeof headers === 'object' && headers !== null) view.headers = headerLines(headers);
  }
  return view;
}
