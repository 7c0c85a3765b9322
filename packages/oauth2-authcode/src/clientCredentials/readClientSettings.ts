import { type AuthContext, invalidAuthVariable } from '@splice/core';
import type { OAuthSettings } from '../settings/OAuthSettings.js';
import { readSettings } from '../settings/readSettings.js';
import { readTokenParameters } from './tokenParameters.js';

/** The client-credentials strategy's settings: the OAuth 2 ones plus the extra parameters. */
export interface ClientCredentialsSettings extends OAuthSettings {
  readonly tokenParameters: Readonly<Record<string, string>>;
}

/**
 * Reads the variables with the authorization-code strategy's `readSettings` (one reading of the
 * shared keys), then what only client credentials has. Throws `VARIABLE_INVALID` for
 * `token_endpoint_auth_method: none` (RFC 6749 §4.4: only a confidential client may use this
 * grant) and for malformed `token_parameters`.
 *
 * @example
 * ```ts
 * const { clientId, tokenParameters } = readClientSettings(ctx);
 * ```
 */
export function readClientSettings(ctx: AuthContext): ClientCredentialsSettings {
  const settings = readSettings(ctx);
  if (settings.authMethod === 'none') {
    throw invalidAuthVariable(
      ctx,
      'token_endpoint_auth_method',
      'must be client_secret_basic or client_secret_post: the client credentials grant is for confidential clients only (RFC 6749 §4.4).',
    );
  }
  const parameters = readTokenParameters(ctx.values['token_parameters'] ?? '');
  if (typeof parameters === 'string')
    throw invalidAuthVariable(ctx, 'token_parameters', parameters);
  return { ...settings, tokenParameters: parameters };
}
