import { type AuthContext, SpliceError } from '@splice/core';

/**
 * Renders the method's URL `name` from the template the runtime compiled once, with the
 * context's values (core's templates encode values and accept only https, or http on loopback).
 *
 * @example
 * ```ts
 * renderUrl(ctx, 'request_token'); // 'https://provider.example/oauth/request_token'
 * ```
 */
export function renderUrl(ctx: AuthContext, name: string): string {
  const template = ctx.templates.urls[name];
  if (template === undefined) {
    throw new SpliceError(
      'CONNECTOR_INVALID',
      `Auth method "${ctx.method.id}" of connector "${ctx.connector.id}" has no urls.${name}: add it to the definition.`,
      { details: { connectorId: ctx.connector.id, authMethodId: ctx.method.id, url: name } },
    );
  }
  return template.render(ctx.values);
}
