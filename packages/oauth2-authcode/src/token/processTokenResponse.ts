import { type Credentials, type JsonObject, SpliceError, scrub } from '@splice/core';
import { readPath } from './readPath.js';
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
}

/** An OAuth error answer of a token endpoint (RFC 6749 §5.2). */
export interface OAuthErrorBody {
  readonly error: string;
  readonly errorDescription: string | undefined;
}

const MAX_EXCERPT = 200;

/** Parses a body as JSON or form fields; `undefined` when it is neither (an HTML page). */
function parseBody(
  text: string,
  contentType: string,
): Record<string, unknown> | unknown[] | undefined {
  const trimmed = text.trim();
  const asJson = (): Record<string, unknown> | unknown[] | undefined => {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const asForm = (): Record<string, unknown> => Object.fromEntries(new URLSearchParams(trimmed));
  if (contentType.includes('json')) return asJson();
  if (contentType.includes('x-www-form-urlencoded')) return asForm();
  // Providers mislabel bodies (text/plain JSON, text/html forms): sniff before giving up.
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return asJson();
  if (/^[\w.~%+-]+=[^<>\s]*(&[\w.~%+-]+=[^<>\s]*)*$/.test(trimmed)) return asForm();
  return undefined;
}

/** A short, secret-free, tag-free excerpt of an unexpected body for a message. */
function excerpt(text: string, secrets: readonly string[]): string {
  const plain = text
    .replace(/<script[\s\S]*?<\/script>|<style[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const scrubbed = scrub(plain, secrets);
  return scrubbed.length > MAX_EXCERPT ? `${scrubbed.slice(0, MAX_EXCERPT)}…` : scrubbed;
}

/** Reads an OAuth error (`error`, `error_description`) from a parsed body. */
function readOAuthError(body: unknown): OAuthErrorBody | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const error = (body as Record<string, unknown>)['error'];
  if (typeof error !== 'string' || error === '') return undefined;
  const description = (body as Record<string, unknown>)['error_description'];
  return { error, errorDescription: typeof description === 'string' ? description : undefined };
}

/** Thrown for an OAuth error body; `details.oauthError` holds the provider's code. */
function oauthFailure(
  shape: TokenResponseShape,
  response: TokenHttpResponse,
  oauth: OAuthErrorBody,
): SpliceError {
  const description =
    oauth.errorDescription === undefined
      ? ''
      : ` (${excerpt(oauth.errorDescription, shape.secrets)})`;
  const hint =
    oauth.error === 'invalid_client'
      ? ' Check client_id, client_secret and token_endpoint_auth_method.'
      : oauth.error === 'invalid_grant'
        ? ' The code or refresh token is invalid, expired, or was already used.'
        : '';
  return new SpliceError(
    'TOKEN_REQUEST_FAILED',
    `Token ${shape.operation} was refused with status ${response.status}: ${excerpt(oauth.error, shape.secrets)}${description}.${hint}`,
    {
      cause: { error: oauth.error, status: response.status },
      details: {
        ...shape.details,
        status: response.status,
        oauthError: excerpt(oauth.error, shape.secrets),
        attempts: response.attempts,
      },
    },
  );
}

function invalidField(shape: TokenResponseShape, field: string, problem: string): SpliceError {
  return new SpliceError(
    'TOKEN_RESPONSE_INVALID',
    `Token ${shape.operation} response body "${field}" ${problem}. Check the response key variables of the auth method.`,
    { details: { ...shape.details, field } },
  );
}

/** Seconds from a number or numeric string; NaN when neither. */
function seconds(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return Number.NaN;
}

/** `expires_at` as epoch seconds, epoch milliseconds, or a date string; NaN when unreadable. */
function absolute(value: unknown): number {
  const n = seconds(value);
  if (!Number.isNaN(n)) return n > 1e12 ? n : n * 1000;
  if (typeof value === 'string') return Date.parse(value);
  return Number.NaN;
}

/**
 * Judges a token endpoint's answer in a fixed order, as oauth4webapi does: the status, then an
 * OAuth error body (also inside a 200: some providers do that), then the body's shape, then each
 * field. Returns the credentials; every failure names the field and never holds a secret.
 *
 * - non-2xx with `error` → `TOKEN_REQUEST_FAILED` with `details.oauthError` (RFC 6749 §5.2)
 * - non-2xx without → `TOKEN_REQUEST_FAILED` with the status and a scrubbed excerpt
 * - no object body, no access token, wrong types → `TOKEN_RESPONSE_INVALID`
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
  const parsed = parseBody(response.text, response.contentType.toLowerCase());
  const oauth = readOAuthError(parsed);
  if (response.status < 200 || response.status > 299) {
    if (oauth !== undefined) throw oauthFailure(shape, response, oauth);
    const body = excerpt(response.text, shape.secrets);
    throw new SpliceError(
      'TOKEN_REQUEST_FAILED',
      `Token ${shape.operation} failed with status ${response.status} after ${response.attempts} attempt(s)${body === '' ? '' : `: ${body}`}`,
      { details: { ...shape.details, status: response.status, attempts: response.attempts } },
    );
  }
  if (oauth !== undefined) throw oauthFailure(shape, response, oauth);
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
  if (tokenType !== undefined && typeof tokenType !== 'string') {
    throw invalidField(shape, 'token_type', 'must be a string when present');
  }

  let expiresAt: number | undefined;
  const expiresIn = readPath(parsed, shape.expiresInKey);
  if (expiresIn !== undefined && expiresIn !== null && expiresIn !== '') {
    const s = seconds(expiresIn);
    if (!Number.isFinite(s * 1000) || s < 0) {
      throw invalidField(
        shape,
        shape.expiresInKey,
        'must be a number of seconds (or a numeric string)',
      );
    }
    expiresAt = shape.now + s * 1000;
  } else {
    const at = readPath(parsed, 'expires_at');
    if (at !== undefined && at !== null && at !== '') {
      const ms = absolute(at);
      if (!Number.isFinite(ms)) {
        throw invalidField(shape, 'expires_at', 'must be epoch seconds or a date');
      }
      expiresAt = ms;
    }
  }

  const values: Record<string, string> = {
    access_token: accessToken,
    token_type: typeof tokenType === 'string' && tokenType !== '' ? tokenType : 'Bearer',
  };
  if (refreshToken !== undefined) values['refresh_token'] = refreshToken;
  const meta: JsonObject = {};
  const scope = readPath(parsed, 'scope');
  if (typeof scope === 'string') meta['scope'] = scope;
  return {
    values,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    obtainedAt: shape.now,
    ...(Object.keys(meta).length === 0 ? {} : { meta }),
  };
}
