import {
  type BodyRule,
  type CapturedValueDefinition,
  type Credentials,
  captureValues,
  DEFAULT_BEARER_TOKEN_TYPES,
  type JsonObject,
  readPath,
  SpliceError,
  safeExcerpt,
  scrub,
} from '@splice/core';
import { matchingBodyRule } from '../dialect/matchingBodyRule.js';
import { parseTokenBody } from './parseTokenBody.js';
import { readTokenExpiry } from './readTokenExpiry.js';
import type { TokenHttpResponse } from './sendTokenRequest.js';

/** Where the fields are in a token response, and what to keep from the previous credentials. */
export interface TokenResponseShape {
  readonly accessTokenKey: string;
  readonly refreshTokenKey: string;
  readonly expiresInKey: string;
  /** Kept when the response has no refresh token (RFC 6749 §6: the server MAY issue a new one). */
  readonly previousRefreshToken?: string;
  /** Epoch milliseconds of receipt. */
  readonly now: number;
  /** Values to hide from every message (client secret, code, verifier, refresh token). */
  readonly secrets: readonly string[];
  /** Ids for error details. */
  readonly details: Readonly<Record<string, string>>;
  /** `exchange` or `refresh`, for messages. */
  readonly operation: string;
  /**
   * The definition writes the method's `apply`: its author decides how the token is sent (even
   * `Bearer {{access_token}}`), so any `token_type` is accepted (and available to `apply` as
   * `{{token_type}}`). Otherwise only those in `bearerTokenTypes` (or none) are, since the
   * strategy's default apply sends `Bearer` (RFC 6750).
   */
  readonly customApply?: boolean;
  /**
   * Lower-case `token_type` values sent as Bearer by the default apply (the method's
   * `dialect.bearerTokenTypes`); default `bearer`, `bot`, `user` (Slack).
   */
  readonly bearerTokenTypes?: ReadonlySet<string>;
  /**
   * The method's token-response captured values (`from: token`): read from the answer, each a
   * dotted path. On refresh, a value not carried again keeps its previous one.
   */
  readonly captured?: readonly CapturedValueDefinition[];
  /** Values captured before (callback, earlier responses), kept unless carried again. */
  readonly previousCaptured?: Readonly<Record<string, string>>;
  /**
   * Refresh only: told of a captured value the response carries but that is refused (an origin
   * outside the patterns); the previous value stays and the new tokens are kept. Without it the
   * refusal is thrown.
   */
  readonly onCaptureRefused?: (error: SpliceError<'CAPTURE_INVALID'>) => void;
  /**
   * Refresh only: the method's `dialect.invalidGrant.body` rules. A refused answer (an error
   * status, or a 2xx without an access token) whose small JSON body matches one is a dead grant:
   * `TOKEN_REQUEST_FAILED` with `details.invalidGrantRule` (the rule's path), whether or not the
   * body has an OAuth `error`.
   */
  readonly invalidGrantBody?: readonly BodyRule[];
}

/** An OAuth error answer of a token endpoint (RFC 6749 §5.2). */
export interface OAuthErrorBody {
  readonly error: string;
  readonly errorDescription: string | undefined;
  readonly errorUri: string | undefined;
}

const MAX_EXCERPT = 200;
// Only the head of a page is read for an excerpt: error pages can be megabytes.
const MAX_SCANNED = 4096;

const BLOCKS = [
  { open: /<script/gi, close: /<\/script>/gi },
  { open: /<style/gi, close: /<\/style>/gi },
] as const;

// Drops every `<script>…</script>` and `<style>…</style>` block (case-insensitive); an unclosed
// block runs to the end. Each search starts where the last one ended: linear in the page's head.
function dropBlocks(html: string, open: RegExp, close: RegExp): string {
  let out = '';
  let from = 0;
  for (;;) {
    open.lastIndex = from;
    const start = open.exec(html);
    if (start === null) break;
    out += `${html.slice(from, start.index)} `;
    close.lastIndex = start.index;
    const end = close.exec(html);
    if (end === null) return out;
    from = end.index + end[0].length;
  }
  return out + html.slice(from);
}

// Tags and whitespace collapsed: what a person reads of an HTML error page, in linear time.
function pageText(html: string): string {
  let text = html;
  for (const { open, close } of BLOCKS) text = dropBlocks(text, open, close);
  return text
    .replace(/<[^<>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A short excerpt of provider text for a message ({@link safeExcerpt}): the head of the page with
 * the values Splice sent scrubbed (before anything else, so no cut leaves a part of one), tags
 * and whitespace collapsed, anything that looks like a credential (token fields, `Bearer …`, long
 * opaque runs) redacted, then cut. Never a raw body: a gateway may answer 502 with a token
 * response.
 */
function excerpt(text: string, secrets: readonly string[]): string {
  return safeExcerpt(text, secrets, {
    maxLength: MAX_EXCERPT,
    readLength: MAX_SCANNED,
    prepare: pageText,
  });
}

/** Reads an OAuth error (`error`, `error_description`) from a parsed body. */
function readOAuthError(body: unknown): OAuthErrorBody | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const error = (body as Record<string, unknown>)['error'];
  if (typeof error !== 'string' || error === '') return undefined;
  const description = (body as Record<string, unknown>)['error_description'];
  const uri = (body as Record<string, unknown>)['error_uri'];
  return {
    error,
    // An empty description says nothing: read as none.
    errorDescription:
      typeof description === 'string' && description.trim() !== '' ? description : undefined,
    errorUri: typeof uri === 'string' && uri !== '' ? uri : undefined,
  };
}

// `error_uri` (RFC 6749 §5.2) is a link to a page for people: shown only as an http(s) URL, with
// the values Splice sent scrubbed (it is a URL, so the opaque-run redaction would eat its path).
function documentationUri(uri: string | undefined, secrets: readonly string[]): string {
  if (uri === undefined || !/^https?:\/\/[^\s"<>]+$/i.test(uri) || uri.length > MAX_EXCERPT) {
    return '';
  }
  return ` See ${scrub(uri, secrets)}`;
}

/**
 * The `dialect.invalidGrant.body` rule a refused answer matches: looked at only on an error
 * status or a 2xx without an access token (a token answer is never a refusal).
 */
function invalidGrantRule(
  shape: TokenResponseShape,
  response: TokenHttpResponse,
  parsed: unknown,
): BodyRule | undefined {
  const rules = shape.invalidGrantBody;
  if (rules === undefined || rules.length === 0) return undefined;
  const ok = response.status >= 200 && response.status <= 299;
  if (ok && typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    const token = readPath(parsed as JsonObject, shape.accessTokenKey);
    if (typeof token === 'string' && token !== '') return undefined;
  }
  return matchingBodyRule(rules, response.text);
}

/**
 * Thrown for a refused refresh whose body matches a `dialect.invalidGrant.body` rule and has no
 * OAuth error: the body is not quoted (provider members may hold anything), the rule's path is.
 */
function ruleFailure(
  shape: TokenResponseShape,
  response: TokenHttpResponse,
  rule: BodyRule,
): SpliceError {
  return new SpliceError(
    'TOKEN_REQUEST_FAILED',
    `Token ${shape.operation} was refused with status ${response.status}: the body's "${rule.path}" is one of the auth method's dialect.invalidGrant.body values (${rule.equals.map((v) => JSON.stringify(String(v))).join(', ')}), so the grant is dead.`,
    {
      details: {
        ...shape.details,
        status: response.status,
        invalidGrantRule: rule.path,
        attempts: response.attempts,
      },
    },
  );
}

// What `invalid_grant` means for each token request (RFC 6749 §5.2), said when the provider gave
// no description (which says it in its own words), and what to do about it, always.
const INVALID_GRANT_HINTS: Readonly<Record<string, { meaning: string; action: string }>> = {
  exchange: {
    meaning:
      'The authorization code is invalid, expired, already used or issued for another redirect URI',
    action:
      'start the authorization again; if it fails the same way, check that the redirect URI and the PKCE setting match what the provider has registered',
  },
  refresh: {
    meaning: 'The refresh token is invalid, expired, revoked or already used',
    action: 'the instance must be authorised again',
  },
  request: {
    meaning: 'The grant is invalid or expired',
    action: "check the auth method's client credentials and grant settings",
  },
};

function invalidGrantHint(operation: string, described: boolean): string {
  const hint = INVALID_GRANT_HINTS[operation];
  if (hint === undefined) return '';
  const action = `${hint.action.charAt(0).toUpperCase()}${hint.action.slice(1)}`;
  return described ? ` ${action}.` : ` ${hint.meaning}: ${hint.action}.`;
}

/** Thrown for an OAuth error body; `details.oauthError` holds the provider's code. */
function oauthFailure(
  shape: TokenResponseShape,
  response: TokenHttpResponse,
  oauth: OAuthErrorBody,
  rule: BodyRule | undefined,
): SpliceError {
  const description =
    oauth.errorDescription === undefined
      ? ''
      : ` (${excerpt(oauth.errorDescription, shape.secrets)})`;
  const uri = documentationUri(oauth.errorUri, shape.secrets);
  const hint =
    oauth.error === 'invalid_client'
      ? ' Check client_id, client_secret and token_endpoint_auth_method.'
      : oauth.error === 'invalid_grant'
        ? invalidGrantHint(shape.operation, oauth.errorDescription !== undefined)
        : '';
  return new SpliceError(
    'TOKEN_REQUEST_FAILED',
    `Token ${shape.operation} was refused with status ${response.status}: ${excerpt(oauth.error, shape.secrets)}${description}.${hint}${uri}`,
    {
      cause: { error: oauth.error, status: response.status },
      details: {
        ...shape.details,
        status: response.status,
        oauthError: excerpt(oauth.error, shape.secrets),
        ...(oauth.errorDescription === undefined
          ? {}
          : { oauthErrorDescription: excerpt(oauth.errorDescription, shape.secrets) }),
        ...(rule === undefined ? {} : { invalidGrantRule: rule.path }),
        attempts: response.attempts,
      },
    },
  );
}

const DEFAULT_BEARER: ReadonlySet<string> = new Set(DEFAULT_BEARER_TOKEN_TYPES);

// RFC 6749 §7.1: a client must not use a token of a type it does not understand. The default apply
// sends `Authorization: Bearer …` (RFC 6750); a "mac" or "DPoP" token sent that way would be
// refused at best, and a DPoP-bound token would travel without its proof.
function checkTokenType(shape: TokenResponseShape, tokenType: unknown): void {
  if (tokenType === undefined || tokenType === null || tokenType === '') return;
  if (typeof tokenType !== 'string') {
    throw invalidField(shape, 'token_type', 'must be a string when present');
  }
  const bearer = shape.bearerTokenTypes ?? DEFAULT_BEARER;
  if (shape.customApply === true || bearer.has(tokenType.toLowerCase())) return;
  // The token type is not secret, so it is quoted (JSON-escaped); still bounded and scrubbed, as
  // it is provider text.
  const value = safeExcerpt(tokenType, shape.secrets, { maxLength: 40 });
  const shown = JSON.stringify(value);
  throw new SpliceError(
    'TOKEN_RESPONSE_INVALID',
    `Token ${shape.operation} response body "token_type" is ${shown}, but the auth method sends the token as "Bearer" (RFC 6750), which only a bearer token may be (RFC 6749 §7.1). If the provider's documentation says it is a bearer token, list it in the method's "dialect.bearerTokenTypes"; if it is used another way, write the method's "apply" in the definition (it may use {{token_type}}).`,
    { details: { ...shape.details, field: 'token_type', tokenType: value } },
  );
}

function invalidField(shape: TokenResponseShape, field: string, problem: string): SpliceError {
  return new SpliceError(
    'TOKEN_RESPONSE_INVALID',
    `Token ${shape.operation} response body "${field}" ${problem}. Check the response key variables of the auth method.`,
    { details: { ...shape.details, field } },
  );
}

/**
 * Judges a token endpoint's answer in a fixed order, as oauth4webapi does: the status, then an
 * OAuth error body (also inside a 200: some providers do that), then the body's shape, then each
 * field. Returns the credentials; every failure names the field and never holds a secret.
 *
 * - non-2xx with `error` → `TOKEN_REQUEST_FAILED` with `details.oauthError` (RFC 6749 §5.2); only
 *   `error`, `error_description` and `error_uri` are quoted
 * - refresh: a refused answer matching a `dialect.invalidGrant.body` rule → `TOKEN_REQUEST_FAILED`
 *   with `details.invalidGrantRule` (a dead grant), with or without an OAuth error
 * - non-2xx without → `TOKEN_REQUEST_FAILED` with the status; a JSON or form body is not quoted,
 *   other text only as a short excerpt with sent values scrubbed and credentials redacted
 * - no object body, no access token, wrong types → `TOKEN_RESPONSE_INVALID`
 * - a `token_type` not in `bearerTokenTypes` (any case; default `bearer`, `bot`, `user`) nor
 *   absent → `TOKEN_RESPONSE_INVALID`, unless `customApply` (RFC 6749 §7.1)
 *
 * @example
 * ```ts
 * const credentials = processTokenResponse(response, { accessTokenKey: 'data.token',
 *   refreshTokenKey: 'refresh_token', expiresInKey: 'expires_in', now: Date.now(),
 *   secrets: [clientSecret], details: {}, operation: 'exchange' });
 * ```
 */
export function processTokenResponse(
  response: TokenHttpResponse,
  shape: TokenResponseShape,
): Credentials {
  const parsed = parseTokenBody(response.text, response.contentType);
  const oauth = readOAuthError(parsed);
  const rule = invalidGrantRule(shape, response, parsed);
  if (response.status < 200 || response.status > 299) {
    if (oauth !== undefined) throw oauthFailure(shape, response, oauth, rule);
    if (rule !== undefined) throw ruleFailure(shape, response, rule);
    // JSON or form fields without an OAuth error are never quoted (a gateway may relay a token
    // response); other text (an HTML error page) only as a short, redacted excerpt.
    const body =
      parsed === undefined
        ? excerpt(response.text, shape.secrets)
        : 'the body has no OAuth "error" field and is not shown';
    throw new SpliceError(
      'TOKEN_REQUEST_FAILED',
      `Token ${shape.operation} failed with status ${response.status} after ${response.attempts} attempt(s)${body === '' ? '' : `: ${body}`}`,
      { details: { ...shape.details, status: response.status, attempts: response.attempts } },
    );
  }
  if (oauth !== undefined) throw oauthFailure(shape, response, oauth, rule);
  if (rule !== undefined) throw ruleFailure(shape, response, rule);
  if (parsed === undefined || Array.isArray(parsed)) {
    throw new SpliceError(
      'TOKEN_RESPONSE_INVALID',
      `Token ${shape.operation} response (status ${response.status}, content-type "${excerpt(response.contentType, [])}") is neither a JSON object nor form fields. Its content is not shown: a successful token response may hold tokens.`,
      { details: { ...shape.details, status: response.status } },
    );
  }
  const accessToken = readPath(parsed, shape.accessTokenKey);
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw invalidField(
      shape,
      shape.accessTokenKey,
      accessToken === undefined ? 'is missing' : 'must be a non-empty string',
    );
  }
  const refreshValue = readPath(parsed, shape.refreshTokenKey);
  if (refreshValue !== undefined && refreshValue !== null && typeof refreshValue !== 'string') {
    throw invalidField(shape, shape.refreshTokenKey, 'must be a string when present');
  }
  const refreshToken =
    typeof refreshValue === 'string' && refreshValue !== ''
      ? refreshValue
      : shape.previousRefreshToken;
  const tokenType = readPath(parsed, 'token_type');
  checkTokenType(shape, tokenType);

  // An unusable expiry is read as unknown, never as a refusal (see readTokenExpiry).
  const { expiresAt } = readTokenExpiry(parsed, shape.expiresInKey, shape.now);

  const values: Record<string, string> = {
    access_token: accessToken,
    token_type: typeof tokenType === 'string' && tokenType !== '' ? tokenType : 'Bearer',
  };
  if (refreshToken !== undefined) values['refresh_token'] = refreshToken;
  const meta: JsonObject = {};
  const scope = readPath(parsed, 'scope');
  if (typeof scope === 'string') meta['scope'] = scope;
  const captured: Record<string, string> = { ...shape.previousCaptured };
  const where = { source: 'token', ids: shape.details } as const;
  const read = (field: string): unknown => readPath(parsed, field);
  if (shape.operation !== 'refresh') {
    Object.assign(captured, captureValues(shape.captured ?? [], read, where));
  } else {
    // A refresh's new tokens are kept whatever its captured values are (the old refresh token
    // may already be spent): a refused value keeps the previous one and is reported.
    for (const definition of shape.captured ?? []) {
      try {
        Object.assign(captured, captureValues([definition], read, { ...where, partial: true }));
      } catch (error) {
        if (!SpliceError.is(error, 'CAPTURE_INVALID') || shape.onCaptureRefused === undefined) {
          throw error;
        }
        shape.onCaptureRefused(error);
      }
    }
  }
  return {
    values,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    obtainedAt: shape.now,
    ...(Object.keys(meta).length === 0 ? {} : { meta }),
    ...(Object.keys(captured).length === 0 ? {} : { captured }),
  };
}
