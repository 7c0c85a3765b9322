/**
 * Parses `expired_token_statuses` ("401,403" or "401 403"); undefined when malformed.
 *
 * @example
 * ```ts
 * parseStatuses('401, 403'); // Set { 401, 403 }
 * ```
 */
export function parseStatuses(text: string): Set<number> | undefined {
  const parts = text.split(/[\s,;]+/).filter((part) => part !== '');
  const statuses = new Set<number>();
  for (const part of parts) {
    if (!/^[1-5]\d\d$/.test(part)) return undefined;
    statuses.add(Number(part));
  }
  return statuses;
}
