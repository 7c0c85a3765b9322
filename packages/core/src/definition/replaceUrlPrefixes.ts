import { invalidArgument } from '../errors/invalidArgument.js';
import type {
  AuthMethodDefinition,
  CapturedValueDefinition,
  ConnectorDefinition,
  StepCapturedValueDefinition,
} from './types.js';

/**
 * URL prefixes and their replacements, `{ 'https://login.salesforce.com': 'http://127.0.0.1:4000' }`.
 * A key may be a URL template (`https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token`,
 * `{{accounts_server}}/oauth/v2/token`) or an origin pattern (`https://*.my.salesforce.com`): it
 * is compared as written, never rendered.
 */
export type UrlPrefixMap = Readonly<Record<string, string>>;

// Whether `key` re-points `url`: equal to it, or followed in it by `/` or `?` (never a bare prefix).
function isUrlPrefix(key: string, url: string): boolean {
  return url === key || url.startsWith(`${key}/`) || url.startsWith(`${key}?`);
}

/**
 * Re-points one URL (or URL template, or origin pattern) by `map`: when it equals a key, or begins
 * with the key followed by `/` or `?`, that key is replaced by its value. The longest matching key
 * wins (`https://api.xero.com/connections` before `https://api.xero.com`), so the order of `map`
 * never matters. A bare prefix never matches: `https://a.com` re-points `https://a.com`,
 * `https://a.com/x` and `https://a.com?x=1`, but not `https://a.com.evil` nor `https://a.comx`.
 * When the replacement carries a query (`http://127.0.0.1:4000/token?tenant=common`) and the rest
 * of the URL begins one too, the two are joined with `&`. Returns `url` unchanged when no key
 * matches.
 *
 * @example
 * ```ts
 * replaceUrlPrefix('https://api.xero.com/api.xro/2.0/Invoices', { 'https://api.xero.com': 'http://127.0.0.1:4000' });
 * // 'http://127.0.0.1:4000/api.xro/2.0/Invoices'
 * ```
 */
export function replaceUrlPrefix(url: string, map: UrlPrefixMap): string {
  let best: string | undefined;
  for (const key of Object.keys(map)) {
    if (key.length === 0 || (best !== undefined && key.length <= best.length)) continue;
    if (isUrlPrefix(key, url)) best = key;
  }
  if (best === undefined) return url;
  const to = map[best] as string;
  const rest = url.slice(best.length);
  return rest.startsWith('?') && to.includes('?') ? `${to}&${rest.slice(1)}` : `${to}${rest}`;
}

/**
 * A copy of `definition` whose URLs are re-pointed by `map` (see {@link replaceUrlPrefix} for the
 * matching rule): every auth method's `urls`, its post-authorization steps' `url`, the `origins`
 * of its captured values (at consent and in its steps), and every endpoint's `url`. Nothing else
 * is touched (a scope that looks like a URL, a `documentationUrl`). Plain data in, plain data out:
 * validate the result again (`parseConnector`) before using it, since a replacement may make it
 * invalid (an `http:` URL off loopback). Meant for tests against a provider simulator and for a
 * provider's sandbox hosts. Throws `INVALID_ARGUMENT` when `map` is not an object of strings, or
 * when a key re-points no URL of the definition (a typo would leave the real provider's URL in
 * place, silently) unless `options.ignoreUnmatched` (one map applied to whatever definition is
 * given, as the demo does).
 *
 * @example
 * ```ts
 * const local = replaceUrlPrefixes(xero, { 'https://api.xero.com': sim.issuer });
 * ```
 */
export function replaceUrlPrefixes<T extends ConnectorDefinition>(
  definition: T,
  map: UrlPrefixMap,
  options: { readonly ignoreUnmatched?: boolean } = {},
): T {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) {
    throw invalidArgument('"map" must be an object of URL prefixes to their replacements');
  }
  for (const [key, value] of Object.entries(map)) {
    if (typeof value !== 'string') {
      throw invalidArgument(`"map.${key}" must be a string (the replacement URL prefix)`);
    }
  }
  const unused = new Set(Object.keys(map));
  const move = (url: string): string => {
    for (const key of unused) {
      if (isUrlPrefix(key, url)) unused.delete(key);
    }
    return replaceUrlPrefix(url, map);
  };
  const origins = <C extends CapturedValueDefinition | StepCapturedValueDefinition>(
    captured: readonly C[],
  ): C[] =>
    captured.map((value) =>
      value.origins === undefined ? value : { ...value, origins: value.origins.map(move) },
    );
  const method = (m: AuthMethodDefinition): AuthMethodDefinition => ({
    ...m,
    urls: Object.fromEntries(Object.entries(m.urls).map(([name, url]) => [name, move(url)])),
    ...(m.captured === undefined ? {} : { captured: origins(m.captured) }),
    ...(m.postAuthorization === undefined
      ? {}
      : {
          postAuthorization: m.postAuthorization.map((step) => ({
            ...step,
            url: move(step.url),
            captured: origins(step.captured),
          })),
        }),
  });
  const moved = {
    ...definition,
    authMethods: definition.authMethods.map(method),
    endpoints: definition.endpoints.map((endpoint) => ({ ...endpoint, url: move(endpoint.url) })),
  };
  if (unused.size > 0 && options.ignoreUnmatched !== true) {
    throw invalidArgument(
      `No URL of connector "${definition.id}" begins with ${[...unused].map((k) => `"${k}"`).join(', ')}: a prefix to re-point must equal a URL of the definition (auth method, post-authorization step, endpoint or captured origin) as written, or be one followed by "/" or "?" (so without a trailing "/")`,
    );
  }
  return moved;
}
