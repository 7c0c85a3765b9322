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

// Names whose values are credentials wherever a provider echoes them: access_token, refreshToken,
// id_token, client_secret, password, api_key, Authorization, Cookie… `code` is left out: a sent
// authorization code is scrubbed by value, and "status code: 502" must stay readable.
const CREDENTIAL_NAME =
  '[\\w-]*(?:token|secret|password|passwd|api[-_]?key|assertion)[\\w-]*|authorization|cookie';
// `"name": "value"`, `'name': 'value'`, `name=value`, `name: value` (JSON, forms, text); a quoted
// value cut off by the end of the text counts to the end.
const NAMED_CREDENTIAL = new RegExp(
  `(["']?)\\b(${CREDENTIAL_NAME})\\1(\\s*[:=]\\s*)(?:"(?:[^"\\\\]|\\\\.)*(?:"|$)|'(?:[^'\\\\]|\\\\.)*(?:'|$)|[^\\s"',;&<>{}\\[\\]]+)`,
  'gi',
);
// An authorization scheme followed by a credential (RFC 9110 §11.4).
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|DPoP|MAC)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi;
// Long runs of token characters (opaque tokens, JWTs, API keys).
const OPAQUE = /[A-Za-z0-9\-._~+/=]{24,}/g;

/**
 * Replaces what looks like a credential in provider or API text with {@link REDACTED}: the value
 * of any token-, secret-, password- or key-named field (`"access_token": "…"`,
 * `refresh_token=…`, `id_token`), a credential after `Bearer`/`Basic`/`DPoP`/`MAC`, and any run of
 * 24 or more token characters that mixes letters and digits (or is 32+ long). Use it, together
 * with {@link scrub} for the values Splice sent, before provider text goes into a message.
 *
 * @example
 * ```ts
 * redactCredentials('{"access_token":"at_1","error":"x"}');
 * // '{"access_token":"[redacted]","error":"x"}'
 * ```
 */
export function redactCredentials(text: string): string {
  // The scheme first: `Authorization: Bearer x` must lose `x`, not only the word `Bearer`.
  return text
    .replace(SCHEME_CREDENTIAL, `$1$2${REDACTED}`)
    .replace(NAMED_CREDENTIAL, (_m, quote: string, name: string, sep: string) => {
      return `${quote}${name}${quote}${sep}${quote}${REDACTED}${quote}`;
    })
    .replace(OPAQUE, (run) =>
      run.length >= 32 || (/[0-9]/.test(run) && /[A-Za-z]/.test(run)) ? REDACTED : run,
    );
}
