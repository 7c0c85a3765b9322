import type { AuthContext } from '@splice/core';

/** The method's request tabs rendered with the context's values, ready to send. */
export interface RenderedRequestParts {
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  /** Form fields: strings rendered as templates, other JSON values serialized. */
  readonly body: Record<string, string>;
}

/**
 * Renders the auth method's URL-parameter, header and body tabs (`{{account}}` and the like) for
 * the auth requests, from the templates the runtime compiled once. Credential values are not
 * available here: these requests obtain them. Header names are lower-case.
 *
 * @example
 * ```ts
 * renderRequestParts(ctx).headers; // { 'x-api-version': '2024-01' }
 * ```
 */
export function renderRequestParts(ctx: AuthContext): RenderedRequestParts {
  const { request } = ctx.templates;
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  const body: Record<string, string> = {};
  for (const [key, template] of request.query) query[key] = template.render(ctx.values);
  for (const [key, template] of request.headers) headers[key] = template.render(ctx.values);
  for (const [key, value] of Object.entries(request.body?.(ctx.values) ?? {})) {
    body[key] =
      typeof value === 'string'
        ? value
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value);
  }
  return { query, headers, body };
}
