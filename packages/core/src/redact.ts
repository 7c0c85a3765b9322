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

// Secrets shorter than this are ignored: replacing them would garble text without hiding anything.
const MIN_SECRET_LENGTH = 4;

// The base64 characters that depend only on `bytes` when they sit at byte offset 0, 1 or 2 of a
// longer base64 stream (e.g. the secret half of `Basic base64(id:secret)`): padding and the
// characters shared with neighbouring bytes are left out (RFC 4648 §4, §5).
function base64Forms(bytes: Buffer, out: Set<string>): void {
  for (let offset = 0; offset < 3; offset++) {
    const stream = Buffer.concat([Buffer.alloc(offset), bytes]);
    const from = Math.ceil((offset * 8) / 6);
    const to = Math.floor(((offset + bytes.length) * 8) / 6);
    out.add(stream.toString('base64').slice(from, to));
    out.add(stream.toString('base64url').slice(from, to));
  }
}

/**
 * Every form in which `secrets` can appear in text a server sends back: as is, percent-encoded
 * (`encodeURIComponent`, RFC 3986 §2.1), form-encoded (`application/x-www-form-urlencoded`, space
 * as `+`), JSON-escaped (RFC 8259 §7) and base64 / base64url of its UTF-8 bytes at any alignment
 * (RFC 4648). Forms shorter than 4 characters are left out; the longest come first, so a
 * replacement never leaves the tail of a longer form.
 *
 * @example
 * ```ts
 * secretForms(['a b/c+d']); // ['a%20b%2Fc%2Bd', 'a+b%2Fc%2Bd', …, 'a b/c+d', …]
 * ```
 */
export function secretForms(secrets: Iterable<string | undefined>): string[] {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    try {
      forms.add(encodeURIComponent(secret));
    } catch {
      // A lone surrogate has no percent-encoding: it cannot have been sent encoded either.
    }
    forms.add(new URLSearchParams([['', secret]]).toString().slice(1));
    forms.add(JSON.stringify(secret).slice(1, -1));
    base64Forms(Buffer.from(secret, 'utf8'), forms);
  }
  return [...forms]
    .filter((form) => form.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
}

function replaceForms(text: string, forms: readonly string[]): string {
  let out = text;
  for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
  return out;
}

/**
 * Replaces every occurrence of any of `secrets`, in any of its {@link secretForms} (raw,
 * percent- or form-encoded, JSON-escaped, base64), in `text` with {@link REDACTED}. Use on text
 * that may echo a request (a provider's error page) before it goes into an error or a log line.
 * Secrets shorter than 4 characters are ignored: replacing them would garble the text without
 * hiding anything. Linear in `text.length` for a given set of secrets; to keep only the head of
 * a long text, use {@link scrubCut} (never cut a scrubbed text yourself: a cut can leave the
 * first characters of a secret).
 *
 * @example
 * ```ts
 * scrub('bad token abc123', ['abc123']); // 'bad token [redacted]'
 * ```
 */
export function scrub(text: string, secrets: Iterable<string | undefined>): string {
  return replaceForms(text, secretForms(secrets));
}

// Length of the longest suffix of `text` that is a proper prefix of `form` (KMP, O(|form|)).
function partialPrefixAtEnd(text: string, form: string): number {
  const fail = new Int32Array(form.length);
  for (let i = 1, k = 0; i < form.length; i++) {
    while (k > 0 && form[i] !== form[k]) k = fail[k - 1]!;
    if (form[i] === form[k]) k++;
    fail[i] = k;
  }
  let k = 0;
  for (let i = Math.max(0, text.length - form.length + 1); i < text.length; i++) {
    while (k > 0 && text[i] !== form[k]) k = fail[k - 1]!;
    if (text[i] === form[k]) k++;
  }
  return k;
}

/** What {@link scrubCut} keeps of a text. */
export interface ScrubbedCut {
  /** At most `limit` characters, every secret replaced, no secret's beginning at the end. */
  readonly text: string;
  /** True when `text` is not the whole (scrubbed) input. */
  readonly truncated: boolean;
}

/**
 * The first `limit` characters of `text` with every secret scrubbed (see {@link scrub}), in time
 * linear in `limit` plus the secrets' length, whatever the length of `text`: only the head that
 * can reach the result is read. A cut never leaves the beginning of a secret: every secret that
 * starts before the cut is scrubbed whole, and when the text is cut, a trailing fragment that is
 * the beginning of a secret form (one that ran past the part read) is removed.
 *
 * @example
 * ```ts
 * scrubCut('refused abc123 twice', ['abc123'], 12); // { text: 'refused [red', truncated: true }
 * ```
 */
export function scrubCut(
  text: string,
  secrets: Iterable<string | undefined>,
  limit: number,
): ScrubbedCut {
  const forms = secretForms(secrets);
  // Every form that starts before `limit` ends inside the head read.
  const read = limit + (forms[0]?.length ?? 0);
  const head = replaceForms(text.length > read ? text.slice(0, read) : text, forms);
  const truncated = text.length > read || head.length > limit;
  if (!truncated) return { text: head, truncated };
  let kept = head.slice(0, limit);
  let cut = 0;
  for (const form of forms) cut = Math.max(cut, partialPrefixAtEnd(kept, form));
  if (cut > 0) kept = kept.slice(0, kept.length - cut);
  return { text: kept, truncated };
}

/** Keys whose values are treated as secret wherever they appear (bodies, headers, params). */
export const SECRET_KEY_PATTERN =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|client_secret|code|code_verifier|access_token|refresh_token|id_token|password|api[-_]?key|token|secret|x-api-key)$/i;

// Names whose values are credentials wherever a provider echoes them: access_token, refreshToken,
// id_token, client_secret, password, api_key, Authorization, Cookie… `code` is left out: a sent
// authorization code is scrubbed by value, and "status code: 502" must stay readable.
const CREDENTIAL_WORD = /token|secret|password|passwd|api[-_]?key|assertion/i;
const CREDENTIAL_NAME = /^(?:authorization|cookie)$/i;
// A run of name characters; each is read once (a name is the whole run, never a part of one).
const NAME_RUN = /[\w-]+/g;
// After a name: `: value` or `= value`, the value quoted (a quoted value cut off by the end of the
// text counts to the end) or bare. Each alternative is unambiguous, so a match costs its length.
const SEPARATOR_AND_VALUE =
  /(\s*[:=]\s*)(?:"(?:[^"\\]|\\[\s\S]?)*"?|'(?:[^'\\]|\\[\s\S]?)*'?|[^\s"',;&<>{}[\]]+)/y;
// An authorization scheme followed by a credential (RFC 9110 §11.4).
const SCHEME_CREDENTIAL = /\b(Bearer|Basic|DPoP|MAC)(\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi;
// Long runs of token characters (opaque tokens, JWTs, API keys).
const OPAQUE = /[A-Za-z0-9\-._~+/=]{24,}/g;
const OPAQUE_CHAR = /[A-Za-z0-9\-._~+/=]/;

function isCredentialName(name: string): boolean {
  return CREDENTIAL_WORD.test(name) || CREDENTIAL_NAME.test(name);
}

// `"name": "value"`, `'name': 'value'`, `name=value`, `name: value` (JSON, forms, text), in one
// pass: each character is read by at most one name run and one value match.
function redactNamedValues(text: string): string {
  let out = '';
  let copied = 0;
  NAME_RUN.lastIndex = 0;
  for (let run = NAME_RUN.exec(text); run !== null; run = NAME_RUN.exec(text)) {
    const name = run[0];
    if (!isCredentialName(name)) continue;
    const end = run.index + name.length;
    const before = text[run.index - 1];
    const quote = (before === '"' || before === "'") && text[end] === before ? before : '';
    SEPARATOR_AND_VALUE.lastIndex = end + quote.length;
    const value = SEPARATOR_AND_VALUE.exec(text);
    if (value === null) continue;
    out += `${text.slice(copied, end)}${quote}${value[1]}${quote}${REDACTED}${quote}`;
    copied = SEPARATOR_AND_VALUE.lastIndex;
    NAME_RUN.lastIndex = copied;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * Replaces what looks like a credential in provider or API text with {@link REDACTED}: the value
 * of any token-, secret-, password- or key-named field (`"access_token": "…"`,
 * `refresh_token=…`, `id_token`), a credential after `Bearer`/`Basic`/`DPoP`/`MAC`, and any run of
 * 24 or more token characters that mixes letters and digits (or is 32+ long). Use it, together
 * with {@link scrub} for the values Splice sent, before provider text goes into a message; for
 * a bounded excerpt of untrusted text use {@link safeExcerpt}. Time is linear in `text.length`.
 *
 * @example
 * ```ts
 * redactCredentials('{"access_token":"at_1","error":"x"}');
 * // '{"access_token":"[redacted]","error":"x"}'
 * ```
 */
export function redactCredentials(text: string): string {
  // The scheme first: `Authorization: Bearer x` must lose `x`, not only the word `Bearer`.
  return redactNamedValues(text.replace(SCHEME_CREDENTIAL, `$1$2${REDACTED}`)).replace(
    OPAQUE,
    (run) => (run.length >= 32 || (/[0-9]/.test(run) && /[A-Za-z]/.test(run)) ? REDACTED : run),
  );
}

/** Options of {@link safeExcerpt}. */
export interface ExcerptOptions {
  /** Most characters kept before the `…` marker of a cut text. Default 200. */
  readonly maxLength?: number;
  /**
   * Also redact what looks like a credential ({@link redactCredentials}). Default true; false
   * for a URL (an issuer), whose path may look like an opaque token.
   */
  readonly redactLookalikes?: boolean;
  /**
   * Characters of `text` read at most (its head); default `maxLength` plus 256, so a field or an
   * opaque run that starts before the cut is judged whole. Raise it when `prepare` shrinks text.
   */
  readonly readLength?: number;
  /**
   * Turns the scrubbed head into plain text before redaction and the cut (e.g. HTML tags and
   * whitespace collapsed). It must be linear in its input.
   */
  readonly prepare?: (head: string) => string;
}

// Room read past the cut for the heuristics: a credential-named field or an opaque run that
// starts before the cut is judged whole.
const LOOKALIKE_SLACK = 256;

/**
 * Untrusted text (a provider's `error_description`, an error page) fit for a message or a log
 * line: control characters turned into spaces, every form of `secrets` scrubbed, credentials
 * redacted, at most `maxLength` characters then `…`. Only the head that can reach the result is
 * read, so the work is bounded by `maxLength` and the secrets' length, never by the input's size;
 * at a cut, nothing that may be the beginning of a secret or of a token-like run is kept.
 *
 * @example
 * ```ts
 * safeExcerpt(params.get('error_description') ?? '', [clientSecret]); // 'The user said no'
 * ```
 */
export function safeExcerpt(
  text: string,
  secrets: Iterable<string | undefined>,
  options: ExcerptOptions = {},
): string {
  const maxLength = options.maxLength ?? 200;
  const redactLookalikes = options.redactLookalikes ?? true;
  const head = scrubCut(
    text,
    secrets,
    options.readLength ?? maxLength + (redactLookalikes ? LOOKALIKE_SLACK : 0),
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: replacing them is the point
  const spaced = head.text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const plain = options.prepare === undefined ? spaced : options.prepare(spaced);
  const clean = redactLookalikes ? redactCredentials(plain) : plain;
  if (!head.truncated && clean.length <= maxLength) return clean;
  let end = Math.min(maxLength, clean.length);
  // A token-like run at the cut may continue past it (and past what was read): drop it whole.
  if (redactLookalikes) while (end > 0 && OPAQUE_CHAR.test(clean[end - 1]!)) end--;
  return `${clean.slice(0, end)}…`;
}
