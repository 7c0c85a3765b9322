/**
 * Milliseconds a `Retry-After` header asks to wait (RFC 9110 §10.2.3): delay-seconds or an
 * HTTP-date, measured against `now` (the injected clock). Undefined when absent or unreadable;
 * never negative.
 *
 * @example
 * ```ts
 * retryAfterMs('3', Date.now()); // 3000
 * retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT', Date.now()); // 0 (in the past)
 * ```
 */
export function retryAfterMs(
  value: string | readonly string[] | undefined,
  now: number,
): number | undefined {
  const text = (typeof value === 'string' ? value : value?.[0])?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
