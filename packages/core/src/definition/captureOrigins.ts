import {
  compileOriginPatterns,
  type OriginPatterns,
  originPatternProblem,
} from '../template/originPatterns.js';

/**
 * Origin patterns per key, for compiling URL templates that begin with a captured origin.
 *
 * @example
 * ```ts
 * const origins: CaptureOrigins = { instance_url: compileOriginPatterns(['https://*.my.salesforce.com']) };
 * ```
 */
export type CaptureOrigins = Readonly<Record<string, OriginPatterns>>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function patternsOf(captured: unknown, out: Map<string, string[]>): void {
  if (!Array.isArray(captured)) return;
  for (const item of captured) {
    if (!isRecord(item) || typeof item['key'] !== 'string' || !Array.isArray(item['origins'])) {
      continue;
    }
    // A loop, not filter: a crafted array's own `constructor` would break its species.
    const patterns: string[] = [];
    item['origins'].forEach((p: unknown) => {
      if (typeof p === 'string' && originPatternProblem(p) === undefined) patterns.push(p);
    });
    if (patterns.length > 0) out.set(item['key'], patterns);
  }
}

/**
 * The keys an auth method captures with `origins` (from the callback, the token response or a
 * post-authorization step), each with its compiled patterns: the keys a URL template of that
 * method may begin with. Reads a definition defensively (a raw one too): malformed entries and
 * patterns are skipped (the schema and `checkConnector` report them).
 *
 * @example
 * ```ts
 * compileUrlTemplate(method.urls.token, 'urls.token', { origins: methodOrigins(method) });
 * ```
 */
export function methodOrigins(method: unknown): CaptureOrigins {
  const found = new Map<string, string[]>();
  if (!isRecord(method)) return {};
  patternsOf(method['captured'], found);
  if (Array.isArray(method['postAuthorization'])) {
    for (const step of method['postAuthorization']) {
      if (isRecord(step)) patternsOf(step['captured'], found);
    }
  }
  const out: Record<string, OriginPatterns> = {};
  for (const [key, patterns] of found) out[key] = compileOriginPatterns(patterns);
  return out;
}

/**
 * The origins an endpoint enabled for several methods may begin with: only keys every one of
 * them captures with `origins`, allowing the patterns of all of them.
 *
 * @example
 * ```ts
 * const origins = endpointOrigins(endpoint.authMethods.map((id) => methodOrigins(byId.get(id))));
 * ```
 */
export function endpointOrigins(perMethod: readonly CaptureOrigins[]): CaptureOrigins {
  if (perMethod.length === 0) return {};
  const out: Record<string, OriginPatterns> = {};
  for (const key of Object.keys(perMethod[0]!)) {
    if (!perMethod.every((origins) => Object.hasOwn(origins, key))) continue;
    out[key] = compileOriginPatterns(perMethod.flatMap((origins) => origins[key]!.patterns));
  }
  return out;
}
