/**
 * Reads `path` from a JSON answer (a token response, a post-authorization step's answer): the key
 * itself when present (a provider may really name a field `data.token`), else the dotted path
 * walked through nested objects; `''` is the answer itself. Undefined when anything on the way is
 * missing or not an object.
 *
 * @example
 * ```ts
 * readPath({ data: { token: 't' } }, 'data.token'); // 't'
 * readPath([{ id: 1 }], ''); // [{ id: 1 }]
 * ```
 */
export function readPath(body: unknown, path: string): unknown {
  if (path === '') return body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  if (Object.hasOwn(body, path)) return (body as Record<string, unknown>)[path];
  let current: unknown = body;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
