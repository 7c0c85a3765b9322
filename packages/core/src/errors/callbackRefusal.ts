import { safeExcerpt } from '../redact.js';

/** A provider's refusal read from an authorization callback (RFC 6749 §4.1.2.1). */
export interface CallbackRefusal {
  /** Its `error` code, e.g. `access_denied`: bounded, control characters dropped, scrubbed. */
  readonly providerError: string;
  /** Its `error_description`, likewise, when it sent one that is not blank. */
  readonly providerErrorDescription?: string;
  /** Both as a message shows them: `access_denied (The user pressed Cancel)`. */
  readonly said: string;
}

/**
 * The refusal an authorization callback carries, or `undefined` when it has no `error` (an empty
 * `error=` names none: RFC 6749 gives every refusal a code). Error codes and descriptions are not
 * secrets and are shown, but they are provider text: each goes through `safeExcerpt` with
 * `secrets` (the values the flow sent or received, e.g. the client secret and the callback's
 * code). The one reading of a refusal for the strategies and the runtime's state check.
 *
 * @example
 * ```ts
 * callbackRefusal(new URLSearchParams('error=access_denied&error_description=No'), [])?.said;
 * // 'access_denied (No)'
 * ```
 */
export function callbackRefusal(
  params: URLSearchParams,
  secrets: readonly string[],
): CallbackRefusal | undefined {
  const error = params.get('error');
  if (error === null || error === '') return undefined;
  const providerError = safeExcerpt(error, secrets);
  const description = params.get('error_description');
  if (description === null || description.trim() === '') {
    return { providerError, said: providerError };
  }
  const providerErrorDescription = safeExcerpt(description, secrets);
  return {
    providerError,
    providerErrorDescription,
    said: `${providerError} (${providerErrorDescription})`,
  };
}
