import { invalidArgument } from '../errors/invalidArgument.js';
import { isLoopbackHost } from './isLoopbackHost.js';

/**
 * The origins a captured value may name, compiled once from a method's `origins` patterns:
 * `https://*.my.salesforce.com` (a `*` stands for exactly one DNS label, leftmost labels only),
 * `https://accounts.zoho.eu` (one host), `http://127.0.0.1:8080` (http only for a loopback host).
 *
 * @example
 * ```ts
 * const allowed = compileOriginPatterns(['https://*.my.salesforce.com']);
 * allowed.match('https://acme.my.salesforce.com'); // 'https://acme.my.salesforce.com'
 * allowed.match('https://evil.example'); // undefined
 * ```
 */
export interface OriginPatterns {
  /** The patterns as written, for messages (never secret). */
  readonly patterns: readonly string[];
  /**
   * The origin `value` names (`scheme://host[:port]`, lower-case, a trailing `/` dropped) when it is
   * exactly an origin that one pattern allows; undefined for anything else: a path, query,
   * fragment or userinfo, another scheme, a host outside the patterns, a value that is not a URL.
   */
  match(value: string): string | undefined;
}

const PATTERN = /^(https?):\/\/([^/?#@\\]+?)(?::(\d{1,5}))?$/i;
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const WILDCARD_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';

/**
 * Why `pattern` is not a usable origin pattern, or undefined when it is. Rules: an absolute
 * `https://` origin without path, query or userinfo (`http://` only for a loopback host); `*` only
 * as whole leftmost labels, followed by at least two literal labels (`https://*.com` is refused).
 *
 * @example
 * ```ts
 * originPatternProblem('https://*.my.salesforce.com'); // undefined
 * originPatternProblem('https://*.com'); // 'needs at least two literal labels after "*"…'
 * ```
 */
export function originPatternProblem(pattern: string): string | undefined {
  const match = PATTERN.exec(pattern);
  if (match === null) {
    return 'must be an origin like "https://*.my.salesforce.com" or "https://accounts.zoho.eu": a scheme and a host (and port), with no path, query or userinfo';
  }
  const [, scheme, host, port] = match;
  const labels = host!.toLowerCase().split('.');
  let wildcards = 0;
  while (labels[wildcards] === '*') wildcards++;
  const literal = labels.slice(wildcards);
  if (literal.some((label) => !LABEL.test(label))) {
    return '"*" may only stand for whole leftmost labels; every other label must be letters, digits and "-"';
  }
  if (wildcards > 0 && literal.length < 2) {
    return 'needs at least two literal labels after "*" (e.g. "https://*.my.salesforce.com")';
  }
  if (port !== undefined && Number(port) > 65535) return 'has a port above 65535';
  if (scheme!.toLowerCase() === 'http' && (wildcards > 0 || !isLoopbackHost(literal.join('.')))) {
    return 'uses http:, which only a literal loopback host (localhost, 127.0.0.0/8) may use: use https:';
  }
  return undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Compiles a method's `origins` patterns (see {@link OriginPatterns}). Throws `INVALID_ARGUMENT`
 * (a coded `TypeError`) for a pattern {@link originPatternProblem} refuses: definitions are checked
 * before this runs, so that is a programming error.
 *
 * @example
 * ```ts
 * compileOriginPatterns(['https://www.zohoapis.com', 'https://www.zohoapis.eu']).match('https://www.zohoapis.eu/');
 * // 'https://www.zohoapis.eu'
 * ```
 */
export function compileOriginPatterns(patterns: readonly string[]): OriginPatterns {
  const sources: string[] = [];
  for (const pattern of patterns) {
    const problem = originPatternProblem(pattern);
    if (problem !== undefined) throw invalidArgument(`origin pattern "${pattern}" ${problem}`);
    const [, scheme, host, port] = PATTERN.exec(pattern)!;
    const labels = host!.toLowerCase().split('.');
    const hostSource = labels
      .map((l) => (l === '*' ? WILDCARD_LABEL : escapeRegExp(l)))
      .join('\\.');
    const defaultPort = scheme!.toLowerCase() === 'https' ? '443' : '80';
    const portSource = port === undefined || port === defaultPort ? '' : `:${port}`;
    sources.push(`${scheme!.toLowerCase()}:\\/\\/${hostSource}${portSource}`);
  }
  const matcher = new RegExp(`^(?:${sources.join('|')})$`);
  return Object.freeze({
    patterns: Object.freeze([...patterns]),
    match(value: string): string | undefined {
      if (typeof value !== 'string' || sources.length === 0) return undefined;
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        return undefined;
      }
      // Exactly an origin: the text must be what the parser made of it (no userinfo, path, query,
      // fragment, default port spelled out, backslashes or other spellings a parser normalises).
      const text = value.endsWith('/') ? value.slice(0, -1) : value;
      if (text.toLowerCase() !== url.origin.toLowerCase()) return undefined;
      return matcher.test(url.origin) ? url.origin : undefined;
    },
  });
}
