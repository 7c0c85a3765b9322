// PROVISIONAL implementation: the API is fixed, the internals are to be hardened (context-aware
// URL encoding, host labels, origin checks, property tests).
import { SpliceError } from '../errors/SpliceError.js';

/** Values a template reads; first the caller merges its layers (input → saved → defaults). */
export type TemplateValues = Readonly<Record<string, string | undefined>>;

/** Where a rendered value lands, which decides its encoding and checks. */
export type TemplateTarget = 'text' | 'header' | 'query' | 'body';

/** A compiled template: parse once, render many. */
export interface Template {
  readonly source: string;
  /** Keys referenced, in order of first appearance. */
  readonly keys: readonly string[];
  /** Renders with `values`; throws `TEMPLATE_UNRESOLVED` / `TEMPLATE_UNSAFE_VALUE`. */
  render(values: TemplateValues): string;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

/**
 * Compiles a non-URL template (`{{ key }}`, whitespace allowed inside the braces).
 *
 * @example
 * ```ts
 * compileTemplate('Bearer {{access_token}}', 'header', 'apply.headers.Authorization')
 *   .render({ access_token: 't' }); // 'Bearer t'
 * ```
 */
export function compileTemplate(
  source: string,
  target: TemplateTarget,
  name = 'template',
): Template {
  const keys = [...new Set([...source.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
  return {
    source,
    keys,
    render(values) {
      return source.replace(PLACEHOLDER, (_m, key: string) => {
        const value = values[key];
        if (value === undefined) {
          throw new SpliceError(
            'TEMPLATE_UNRESOLVED',
            `Template ${name} uses "{{${key}}}" but no value is set for "${key}": add it to the call's variables, the instance, or a default.`,
            { details: { key, template: name } },
          );
        }
        if (target === 'header' && /[\r\n]/.test(value)) {
          throw new SpliceError(
            'TEMPLATE_UNSAFE_VALUE',
            `Value of "${key}" in ${name} holds a line break, which is not allowed in a header.`,
            { details: { key, template: name } },
          );
        }
        return value;
      });
    },
  };
}

/**
 * Compiles a URL template. Values are encoded for where they land (path segment, query value,
 * whole host label); no value can change the scheme, host, port or userinfo, and `https:` is
 * required except for loopback hosts.
 *
 * @example
 * ```ts
 * compileUrlTemplate('https://api.acme.example/{{account}}/orders', 'endpoints[0].url')
 *   .render({ account: 'a b' }); // 'https://api.acme.example/a%20b/orders'
 * ```
 */
export function compileUrlTemplate(source: string, name = 'url'): Template {
  const keys = [...new Set([...source.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
  return {
    source,
    keys,
    render(values) {
      const out = source.replace(PLACEHOLDER, (_m, key: string) => {
        const value = values[key];
        if (value === undefined) {
          throw new SpliceError(
            'TEMPLATE_UNRESOLVED',
            `Template ${name} uses "{{${key}}}" but no value is set for "${key}": add it to the call's variables, the instance, or a default.`,
            { details: { key, template: name } },
          );
        }
        return encodeURIComponent(value);
      });
      const url = new URL(out);
      const loopback =
        url.hostname === 'localhost' || url.hostname.startsWith('127.') || url.hostname === '[::1]';
      if (url.protocol !== 'https:' && !loopback) {
        throw new SpliceError(
          'INSECURE_URL',
          `${name} must use https: (only loopback hosts may use http:), got ${url.protocol}`,
          { details: { template: name } },
        );
      }
      return out;
    },
  };
}
