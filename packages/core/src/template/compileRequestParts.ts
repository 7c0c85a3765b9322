import type { JsonValue, RequestParts } from '../definition/types.js';
import { compileTemplate, type Template, type TemplateValues } from './template.js';

/**
 * A named template, e.g. a header name and its value template.
 *
 * @example
 * ```ts
 * const header: NamedTemplate = ['x-api-version', compileTemplate('2024-01', 'header')];
 * ```
 */
export type NamedTemplate = readonly [name: string, template: Template];

/**
 * A body tab compiled once: renders the string templates inside a JSON object.
 *
 * @example
 * ```ts
 * const body: BodyTemplate = (values) => ({ account: values['account'] ?? '' });
 * ```
 */
export type BodyTemplate = (values: TemplateValues) => Record<string, JsonValue>;

/**
 * A method's or endpoint's request tabs, compiled once. Header names are lower-case.
 *
 * @example
 * ```ts
 * for (const [name, template] of parts.headers) headers[name] = template.render(values);
 * ```
 */
export interface CompiledRequestParts {
  readonly query: readonly NamedTemplate[];
  readonly headers: readonly NamedTemplate[];
  /** Undefined when the body tab is empty. */
  readonly body: BodyTemplate | undefined;
}

function compileJson(
  value: JsonValue,
  name: string,
): JsonValue | ((values: TemplateValues) => JsonValue) {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const template = compileTemplate(value, 'body', name);
    return (values) => template.render(values);
  }
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileJson(item, `${name}[${i}]`));
    if (items.every((item) => typeof item !== 'function')) return value;
    return (values) =>
      items.map((item) => (typeof item === 'function' ? item(values) : item)) as JsonValue;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => [key, compileJson(item, `${name}.${key}`)] as const,
    );
    if (entries.every(([, item]) => typeof item !== 'function')) return value;
    return (values) => {
      const out: Record<string, JsonValue> = {};
      for (const [key, item] of entries)
        out[key] = typeof item === 'function' ? item(values) : item;
      return out;
    };
  }
  return value;
}

/**
 * Compiles the URL-parameter, header and body tabs of a method or endpoint once (header names
 * lower-cased, every string leaf of the body a template), so a request renders without parsing.
 * Compile errors are `CONNECTOR_INVALID` naming `name` and the part.
 *
 * @example
 * ```ts
 * const parts = compileRequestParts(method.request, 'acme: authMethods[0].request');
 * parts.headers.map(([name, t]) => [name, t.render(values)]);
 * ```
 */
export function compileRequestParts(parts: RequestParts, name: string): CompiledRequestParts {
  const query: NamedTemplate[] = Object.entries(parts.query).map(([key, source]) => [
    key,
    compileTemplate(source, 'query', `${name}.query.${key}`),
  ]);
  const headers: NamedTemplate[] = Object.entries(parts.headers).map(([key, source]) => [
    key.toLowerCase(),
    compileTemplate(source, 'header', `${name}.headers.${key}`),
  ]);
  let body: BodyTemplate | undefined;
  if (Object.keys(parts.body).length > 0) {
    const compiled = compileJson(parts.body, `${name}.body`);
    body =
      typeof compiled === 'function'
        ? (compiled as BodyTemplate)
        : () => compiled as Record<string, JsonValue>;
  }
  return { query, headers, body };
}
