import { type BodyRule, EXPIRED_TOKEN_BODY_MAX_BYTES, readPath } from '@splice/core';

/**
 * Whether a small JSON answer body matches one of `rules` (the value at a rule's dotted `path`,
 * compared as text, is one of its `equals`). Bodies over `EXPIRED_TOKEN_BODY_MAX_BYTES`, and
 * bodies that are not a JSON object, never match and are not parsed beyond that.
 *
 * @example
 * ```ts
 * matchesBodyRule([{ path: 'error.code', equals: ['EXPIRED'] }], '{"error":{"code":"EXPIRED"}}'); // true
 * ```
 */
export function matchesBodyRule(rules: readonly BodyRule[], body: string | undefined): boolean {
  if (rules.length === 0 || body === undefined || body.length > EXPIRED_TOKEN_BODY_MAX_BYTES) {
    return false;
  }
  const start = body.trimStart();
  if (!start.startsWith('{') || Buffer.byteLength(body) > EXPIRED_TOKEN_BODY_MAX_BYTES)
    return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(start);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
  const object = parsed as Record<string, unknown>;
  return rules.some((rule) => {
    const value = readPath(object, rule.path);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      return false;
    }
    const text = String(value);
    return rule.equals.some((expected) => String(expected) === text);
  });
}
