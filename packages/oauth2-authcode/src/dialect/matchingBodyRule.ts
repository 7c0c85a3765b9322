import { type BodyRule, EXPIRED_TOKEN_BODY_MAX_BYTES, readPath } from '@splice/core';

/**
 * The first of `rules` that a small JSON answer body matches (the value at the rule's dotted
 * `path`, compared as text, is one of its `equals`), or undefined. Bodies over
 * `EXPIRED_TOKEN_BODY_MAX_BYTES`, and bodies that are not a JSON object, never match and are not
 * parsed beyond that. Used for `dialect.invalidToken.body` (endpoint answers) and
 * `dialect.invalidGrant.body` (refused refreshes).
 *
 * @example
 * ```ts
 * matchingBodyRule([{ path: 'error.code', equals: ['EXPIRED'] }], '{"error":{"code":"EXPIRED"}}');
 * // { path: 'error.code', equals: ['EXPIRED'] }
 * ```
 */
export function matchingBodyRule(
  rules: readonly BodyRule[],
  body: string | undefined,
): BodyRule | undefined {
  if (rules.length === 0 || body === undefined || body.length > EXPIRED_TOKEN_BODY_MAX_BYTES) {
    return undefined;
  }
  const start = body.trimStart();
  if (!start.startsWith('{') || Buffer.byteLength(body) > EXPIRED_TOKEN_BODY_MAX_BYTES)
    return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(start);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const object = parsed as Record<string, unknown>;
  return rules.find((rule) => {
    const value = readPath(object, rule.path);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return false;
    }
    const text = String(value);
    return rule.equals.some((expected) => String(expected) === text);
  });
}
