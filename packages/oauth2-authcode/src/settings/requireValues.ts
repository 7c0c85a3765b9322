import { type AuthContext, CREDENTIAL_KEYS, requiredVariableKeys, SpliceError } from '@splice/core';
import type { OAuthSettings } from './OAuthSettings.js';
import { oauthRequiredKeys } from './requiredKeys.js';
import { variableValue } from './variableValue.js';

/**
 * Checks that every value a step needs is there: required connector and auth variables,
 * `client_id`, `client_secret` (unless the client is public), `callback_url`, and every key the
 * given URL templates use, except the method's captured values (they arrive from the provider). Throws one `VARIABLE_MISSING` listing every missing key, so a user
 * fixes them all at once.
 *
 * @example
 * ```ts
 * requireValues(ctx, settings, ['authorise', 'token']);
 * ```
 */
export function requireValues(
  ctx: AuthContext,
  settings: OAuthSettings,
  urlNames: readonly string[],
  needsCallbackUrl = true,
): void {
  const missing = new Set<string>();
  const isSet = (key: string): boolean => {
    const value = variableValue(ctx, key);
    return value !== undefined && value.trim() !== '';
  };
  const required = requiredVariableKeys(
    ctx.connector.variables,
    ctx.method,
    { requiredKeys: oauthRequiredKeys },
    ctx.values,
  );
  for (const key of required) {
    if (key === 'callback_url' && (settings.callbackUrl !== undefined || !needsCallbackUrl)) {
      continue;
    }
    if (!isSet(key)) missing.add(key);
  }
  if (settings.clientId === undefined) missing.add('client_id');
  if (settings.authMethod !== 'none' && settings.clientSecret === undefined)
    missing.add('client_secret');
  if (needsCallbackUrl && settings.callbackUrl === undefined) missing.add('callback_url');
  // Credentials and captured values come from the provider, not from the user.
  const fromProvider = new Set<string>([
    ...CREDENTIAL_KEYS,
    ...(ctx.method.captured ?? []).map((c) => c.key),
  ]);
  for (const name of urlNames) {
    for (const key of ctx.templates.urls[name]?.keys ?? []) {
      if (!fromProvider.has(key) && !isSet(key)) missing.add(key);
    }
  }
  if (missing.size === 0) return;
  const keys = [...missing];
  throw new SpliceError(
    'VARIABLE_MISSING',
    `Auth method "${ctx.method.id}" of connector "${ctx.connector.id}" needs values for: ${keys.join(', ')}. Pass them in the call's variables or set defaults in the definition${keys.includes('callback_url') ? ' (callback_url may also come from the runtime option callbackUrl)' : ''}.`,
    { details: { keys, connectorId: ctx.connector.id, authMethodId: ctx.method.id } },
  );
}
