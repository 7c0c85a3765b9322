import { type AuthContext, compileTemplate, type JsonValue } from '@splice/core';

/** The method's request tabs rendered with the context's values, ready to send. */
export interface RenderedRequestParts {
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  /** Form fields: strings rendered as templates, other JSON values serialized. */
  readonly body: Record<string, string>;
}

function renderValue(value: JsonValue, ctx: AuthContext, name: string): string {
  if (typeof value === 'string') return compileTemplate(value, 'body', name).render(ctx.values);
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/**
 * Renders the auth method's URL-parameter, header and body tabs (`{{account}}` and the like) for
 * the auth requests. Credential values are not available here: these requests obtain them.
 *
 * @example
 * ```ts
 * renderRequestParts(ctx).headers; // { 'X-Api-Version': '2024-01' }
 * ```
 */
export function renderRequestParts(ctx: AuthContext): RenderedRequestParts {
  const base = `authMethods[${ctx.method.id}].request`;
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  const body: Record<string, string> = {};
  for (const [key, value] of Object.entries(ctx.method.request.query))
    query[key] = compileTemplate(value, 'query', `${base}.query.${key}`).render(ctx.values);
  for (const [key, value] of Object.entries(ctx.method.request.headers))
    headers[key] = compileTemplate(value, 'header', `${base}.headers.${key}`).render(ctx.values);
  for (const [key, value] of Object.entries(ctx.method.request.body))
    body[key] = renderValue(value, ctx, `${base}.body.${key}`);
  return { query, headers, body };
}
