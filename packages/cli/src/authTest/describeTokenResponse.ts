import type { JsonValue } from '@splice/core';
import { parseTokenBody } from '@splice/oauth2-authcode';

/** A parsed token response body, or why it could not be parsed. */
export type ParsedTokenResponse =
  | { readonly format: 'json' | 'form'; readonly body: { [key: string]: JsonValue } }
  | { readonly format: 'other'; readonly body: undefined };

/**
 * Parses a token response body with the strategy's own parser (`parseTokenBody`), and says which
 * format it was, for the report.
 *
 * @example
 * ```ts
 * parseTokenResponse('access_token=a&expires_in=60', 'application/x-www-form-urlencoded');
 * // { format: 'form', body: { access_token: 'a', expires_in: '60' } }
 * ```
 */
export function parseTokenResponse(text: string, contentType: string): ParsedTokenResponse {
  const body = parseTokenBody(text, contentType);
  if (body === undefined || Array.isArray(body)) return { format: 'other', body: undefined };
  return {
    format: text.trim().startsWith('{') ? 'json' : 'form',
    body: body as { [key: string]: JsonValue },
  };
}

/**
 * Describes a value by type with every leaf redacted: strings as `"<string, 43 chars>"`, numbers
 * and booleans by type only, objects and arrays by structure. Safe to print.
 *
 * @example
 * ```ts
 * redactedShape({ access_token: 'abc', expires_in: 3600 });
 * // { access_token: '<string, 3 chars>', expires_in: '<number>' }
 * ```
 */
export function redactedShape(value: JsonValue): JsonValue {
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(redactedShape);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactedShape(item)]),
    );
  }
  if (typeof value === 'string') return `<string, ${value.length} chars>`;
  return `<${typeof value}>`;
}

/**
 * Every dotted path in `body` whose value is a string or number, for suggestions such as "the
 * token is at `data.token`".
 *
 * @example
 * ```ts
 * leafPaths({ data: { token: 't', ttl: 60 } }); // [['data.token', 'string'], ['data.ttl', 'number']]
 * ```
 */
export function leafPaths(body: JsonValue, prefix = ''): [string, 'string' | 'number'][] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [];
  const out: [string, 'string' | 'number'][] = [];
  for (const [key, value] of Object.entries(body)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string' || typeof value === 'number')
      out.push([path, typeof value as 'string' | 'number']);
    else out.push(...leafPaths(value, path));
  }
  return out;
}
