/**
 * Parses a token endpoint's body as the strategy reads it (RFC 6749 §5.1 says JSON; providers
 * answer form fields too, and mislabel both): by content type, else sniffed — a JSON object or
 * array, or `key=value&…` form fields. `undefined` when it is neither (an HTML error page). The
 * one parser of token responses: the strategy judges what it returns, and tools that show a
 * response (the CLI's `auth test`) read it with this too.
 *
 * @example
 * ```ts
 * parseTokenBody('access_token=a&expires_in=60', 'text/plain'); // { access_token: 'a', expires_in: '60' }
 * parseTokenBody('<html>…', 'text/html'); // undefined
 * ```
 */
export function parseTokenBody(
  text: string,
  contentType: string,
): Record<string, unknown> | unknown[] | undefined {
  const trimmed = text.trim();
  const type = contentType.toLowerCase();
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
  if (type.includes('json')) return asJson();
  if (type.includes('x-www-form-urlencoded')) return asForm();
  // Providers mislabel bodies (text/plain JSON, text/html forms): sniff before giving up.
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return asJson();
  if (/^[\w.~%+-]+=[^<>\s]*(&[\w.~%+-]+=[^<>\s]*)*$/.test(trimmed)) return asForm();
  return undefined;
}
