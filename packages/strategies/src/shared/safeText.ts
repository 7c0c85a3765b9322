import { redactCredentials, scrub } from '@splice/core';

const MAX_TEXT = 200;

/**
 * Provider text fit for an error message: control characters dropped, the values Splice sent
 * (`secrets`) scrubbed, anything that looks like a credential redacted, at most 200 characters.
 *
 * @example
 * ```ts
 * safeText(params.get('oauth_problem') ?? '', [consumerSecret]); // 'permission_denied'
 * ```
 */
export function safeText(text: string, secrets: readonly string[]): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const clean = redactCredentials(scrub(text.replace(/[\u0000-\u001f\u007f]/g, ' '), secrets));
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}
