import type { AuthContext, CompiledRequestParts } from '@splice/core';

/** The method's request parts rendered with the context's values, ready to send. */
export interface RenderedRequestParts {
  readonly query: Record<string, string>;
  readonly headers: Record<string, string>;
  /** Form fields: strings rendered as templates, other JSON values serialized. */
  readonly body: Record<string, string>;
}

function renderInto(
  target: RenderedRequestParts,
  parts: CompiledRequestParts,
  values: Readonly<Record<string, string>>,
): void {
  for (const [key, template] of parts.query) target.query[key] = template.render(values);
  for (const [key, template] of parts.headers) target.headers[key] = template.render(values);
  for (const [key, value] of Object.entries(parts.body?.(values) ?? {})) {
    target.body[key] =
      typeof value === 'string'
        ? value
        : typeof value === 'object' && value !== null
          ? JSON.stringify(value)
          : String(value);
  }
}

/**
 * Renders the auth method's request parts (`{{account}}` and the like) for one kind of auth
 * request, from the templates the runtime compiled once: `authorization` — the URL-parameter tab,
 * for the authorisation URL; `token` — the header and body tabs with the method's `tokenRequest`
 * parts laid over them, for the code exchange and every refresh. Credential values are not
 * available here: these requests obtain them. Header names are lower-case.
 *
 * @example
 * ```ts
 * renderRequestParts(ctx, 'token').body; // { resource: 'https://graph.microsoft.com' }
 * renderRequestParts(ctx, 'authorization').query; // { access_type: 'offline', prompt: 'consent' }
 * ```
 */
export function renderRequestParts(
  ctx: AuthContext,
  request: 'authorization' | 'token',
): RenderedRequestParts {
  const rendered: RenderedRequestParts = { query: {}, headers: {}, body: {} };
  const { templates, values } = ctx;
  if (request === 'authorization') {
    for (const [key, template] of templates.request.query)
      rendered.query[key] = template.render(values);
    return rendered;
  }
  renderInto(rendered, { ...templates.request, query: [] }, values);
  renderInto(rendered, templates.tokenRequest, values);
  return rendered;
}
