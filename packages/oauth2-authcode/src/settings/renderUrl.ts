import { type AuthContext, SpliceError } from '@splice/core';

/**
 * Renders the method's URL `name` (`token`, `authorise`, `reauthenticate`) from the templates the
 * runtime compiled once, with the context's values; the core template encodes values and refuses
 * anything but https (or loopback).
 *
 * @example
 * ```ts
 * renderUrl(ctx, 'token'); // 'https://auth.acme.example/token/acct-1'
 * ```
 */
export function renderUrl(ctx: AuthContext, name: string): string {
  const template = ctx.templates.urls[name];
  if (template === undefined) {
    throw new SpliceError(
      'CONNECTOR_INVALID',
      `Auth method "${ctx.method.id}" of connector "${ctx.connector.id}" has no urls.${name}: add it to the definition.`,
      {
        details: {
          connectorId: ctx.connector.id,
          authMethodId: ctx.method.id,
          url: name,
          issues: [{ path: `urls.${name}`, message: 'is required', code: 'required' }],
        },
      },
    );
  }
  return template.render(ctx.values);
}
