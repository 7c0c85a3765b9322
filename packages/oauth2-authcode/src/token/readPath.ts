/**
 * Reads `path` from a token response: the key itself when present (a provider may really name a
 * field `data.token`), else the dotted path walked through nested objects.
 *
 * @example
 * ```ts
 * readPath({ data: { token: 't' } }, 'data.token'); // 't'
 * ```
 */
export function readPath(body: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(body, path)) return body[path];
  let current: unknown = body;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
