import {
  type AuthContext,
  type AuthorizationCallback,
  type Credentials,
  captureValues,
  inSpan,
  redactCredentials,
  SpliceError,
  scrub,
} from '@splice/core';
import type { ResolvedOptions } from '../OAuth2AuthorizationCodeOptions.js';
import { readSettings } from '../settings/readSettings.js';
import { requireValues } from '../settings/requireValues.js';
import { secretValues } from '../settings/secretValues.js';
import { withCaptured } from '../settings/withCaptured.js';
import { exchangeCode } from '../token/exchangeCode.js';

const MAX_TEXT = 200;

// Provider text goes into a message: bound it, drop control characters, hide the values Splice
// sent and anything that looks like a credential.
// An issuer is a URL, shown whole (its path may look like an opaque token); free text is redacted.
function safeText(text: string, secrets: readonly string[], isUrl = false): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const scrubbed = scrub(text.replace(/[\u0000-\u001f\u007f]/g, ' '), secrets);
  const clean = isUrl ? scrubbed : redactCredentials(scrubbed);
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

/**
 * Step 2 of SPEC §4, after the caller has taken the one-time pending authorization of the
 * callback's `state`: checks `iss` when the method sets `issuer` (RFC 9207 §2.4, before anything
 * else, errors included), turns `error=` into `AUTH_DENIED` with the provider's error and
 * description (RFC 6749 §4.1.2.1), then exchanges the code with the saved PKCE verifier and
 * redirect URI.
 *
 * @example
 * ```ts
 * const pending = await takePendingAuthorization(store, params.get('state') ?? '');
 * const credentials = await completeAuthorization(ctx, { params, data: pending.data }, options);
 * ```
 */
export async function completeAuthorization(
  ctx: AuthContext,
  callback: AuthorizationCallback,
  options: ResolvedOptions,
): Promise<Credentials> {
  const details = { connectorId: ctx.connector.id, authMethodId: ctx.method.id };
  return inSpan(
    'splice.authorize.complete',
    { 'splice.connector.id': ctx.connector.id, 'splice.auth_method.id': ctx.method.id },
    async () => {
      const settings = readSettings(ctx);
      const { params, data } = callback;
      const code = params.get('code') ?? undefined;
      const secrets = [...secretValues(ctx), ...(code === undefined ? [] : [code])];
      if (settings.issuer !== undefined) {
        const iss = params.get('iss');
        if (iss !== settings.issuer) {
          throw new SpliceError(
            'AUTH_ISSUER_MISMATCH',
            iss === null
              ? `The authorization callback has no "iss" but auth method "${ctx.method.id}" expects issuer "${settings.issuer}" (RFC 9207). Start the authorization again; if the provider never sends iss, unset the issuer variable.`
              : `The authorization callback came from issuer "${safeText(iss, secrets, true)}", not the expected "${settings.issuer}" (RFC 9207): a possible mix-up attack. Start the authorization again.`,
            { details: { ...details, expectedIssuer: settings.issuer } },
          );
        }
      }
      const error = params.get('error');
      if (error !== null) {
        const description = params.get('error_description');
        throw new SpliceError(
          'AUTH_DENIED',
          `The provider refused the authorization: ${safeText(error, secrets)}${description === null ? '' : ` (${safeText(description, secrets)})`}. Ask the user to try again and grant access.`,
          {
            details: {
              ...details,
              providerError: safeText(error, secrets),
              ...(description === null
                ? {}
                : { providerErrorDescription: safeText(description, secrets) }),
            },
          },
        );
      }
      const expectedState = data['state'];
      if (typeof expectedState === 'string' && params.get('state') !== expectedState) {
        throw new SpliceError(
          'AUTH_STATE_INVALID',
          'The authorization callback\'s "state" does not belong to this pending authorization. Start the authorization again.',
          { details },
        );
      }
      const redirectUri = data['redirect_uri'];
      if (typeof redirectUri !== 'string') {
        throw new SpliceError(
          'AUTH_STATE_INVALID',
          'The pending authorization has no "redirect_uri": it was not made by this strategy. Start the authorization again.',
          { details },
        );
      }
      if (code === undefined || code === '') {
        throw new SpliceError(
          'AUTH_STATE_INVALID',
          'The authorization callback has neither "code" nor "error". Start the authorization again; check that the callback URL passes the whole query string.',
          { details },
        );
      }
      // Values the method captures from the callback (QuickBooks realmId, Zoho accounts-server):
      // checked before anything is sent, and usable in the token URL and tabs.
      const captured = captureValues(
        (ctx.method.captured ?? []).filter((c) => c.from === 'callback'),
        (field) => params.get(field) ?? undefined,
        { source: 'callback', ids: details },
      );
      const exchangeCtx = withCaptured(ctx, captured);
      // The redirect URI comes from the pending authorization, not from the variables.
      requireValues(exchangeCtx, settings, ['token'], false);
      const verifier = data['code_verifier'];
      return exchangeCode(
        exchangeCtx,
        settings,
        options,
        code,
        redirectUri,
        typeof verifier === 'string' ? verifier : undefined,
        captured,
      );
    },
  );
}
