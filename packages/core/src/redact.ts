/** What every redacted value reads as. */
export const REDACTED = '[redacted]';

/**
 * Copies `values`, replacing the value of every key in `secretKeys` with {@link REDACTED}.
 *
 * @example
 * ```ts
 * redactValues({ client_id: 'a', client_secret: 's' }, new Set(['client_secret']));
 * // { client_id: 'a', client_secret: '[redacted]' }
 * ```
 */
export function redactValues(
  values: Readonly<Record<string, string>>,
  secretKeys: ReadonlySet<string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values))
    out[key] = secretKeys.has(key) ? REDACTED : value;
  return out;
}

/**
 * Replaces every occurrence of any of `secrets` in `text` with {@link REDACTED}. Use on text that
 * may echo a request (a provider's error page) before it goes into an error or a log line.
 * Secrets shorter than 4 characters are ignored: replacing them would garble the text without
 * hiding anything.
 *
 * @example
 * ```ts
 * scrub('bad token abc123', ['abc123']); // 'bad token [redacted]'
 * ```
 */
export function scrub(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/** Keys whose values are treated as secret wherever they appear (bodies, headers, params). */
export const SECRET_KEY_PATTERN =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|client_secret|code|code_verifier|access_token|refresh_token|id_token|password|api[-_]?key|token|secret|x-api-key)$/i;
