import { type AuthContext, compileUrlTemplate, SpliceError } from '@splice/core';

/**
 * Renders the method's URL `name` (`token`, `authorise`, `reauthenticate`) with the context's
 * values; the core template encodes values and refuses anything but https (or loopback).
 *
 * @example
 * ```ts
 * renderUrl(ctx, 'token'); // 'https://auth.acme.example/token/acct-1'
 * ```
 */
export function renderUrl(ctx: AuthContext, name: string): string {
  const source = ctx.method.urls[name];
  if (source === undefined) {
    throw new SpliceError(
      'CONNECTOR_INVALID',
      `Auth method "${ctx.method.id}" of connector "${ctx.connector.id}" has no urls.${name}: add it to the definition.`,
      { details: { connectorId: ctx.connector.id, authMethodId: ctx.method.id, url: name } },
    );
  }
  const index = ctx.connector.authMethods.findIndex((m) => m.id === ctx.method.id);
  const path = `authMethods[${index < 0 ? ctx.method.id : index}].urls.${name}`;
  return compileUrlTemplate(source, path).render(ctx.values);
}
