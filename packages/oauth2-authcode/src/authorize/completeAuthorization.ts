import {
  type AuthContext,
  type AuthorizationCallback,
  type Credentials,
  callbackRefusal,
  captureValues,
  inSpan,
  type JsonObject,
  SpliceError,
  safeExcerpt,
} from '@splice/core';
import type { ResolvedOptions } from '../OAuth2AuthorizationCodeOptions.js';
import { readSettings } from '../settings/readSettings.js';
import { renderUrl } from '../settings/renderUrl.js';
import { requireValues } from '../settings/requireValues.js';
import { secretValues } from '../settings/secretValues.js';
import { withCaptured } from '../settings/withCaptured.js';
import { exchangeCode } from '../token/exchangeCode.js';

// Provider text goes into a message: bounded (only its head is read), control characters dropped,
// the values Splice sent and anything that looks like a credential hidden. An issuer is a URL,
// shown whole (its path may look like an opaque token).
function safeText(text: string, secrets: readonly string[], isUrl = false): string {
  return safeExcerpt(text, secrets, { redactLookalikes: !isUrl });
}

// RFC 9207 §2.4 / RFC 9700 §4.4.2 (mix-up), before anything else, errors included. With an
// `issuer` configured, `iss` must equal it exactly. Without one, an `iss` the provider sends must
// be on the origin of the authorization endpoint this authorization went to (bound at begin):
// a code minted by another authorization server never reaches this method's token endpoint.
// A callback without `iss` is accepted then, as the provider may not implement RFC 9207.
function checkIssuer(
  ctx: AuthContext,
  issuer: string | undefined,
  iss: string | null,
  data: JsonObject,
  secrets: readonly string[],
): void {
  const details = { connectorId: ctx.connector.id, authMethodId: ctx.method.id };
  if (issuer !== undefined) {
    if (iss === issuer) return;
    throw new SpliceError(
      'AUTH_ISSUER_MISMATCH',
      iss === null
        ? `The authorization callback has no "iss" but auth method "${ctx.method.id}" expects issuer "${issuer}" (RFC 9207). Start the authorization again; if the provider never sends iss, unset the issuer variable.`
        : `The authorization callback came from issuer "${safeText(iss, secrets, true)}", not the expected "${issuer}" (RFC 9207): a possible mix-up attack. Start the authorization again.`,
      { details: { ...details, expectedIssuer: issuer } },
    );
  }
  if (iss === null) return;
  const bound = data['authorization_origin'];
  const origin = typeof bound === 'string' ? bound : new URL(renderUrl(ctx, 'authorise')).origin;
  if (URL.canParse(iss) && new URL(iss).origin === origin) return;
  throw new SpliceError(
    'AUTH_ISSUER_MISMATCH',
    `The authorization callback came from issuer "${safeText(iss, secrets, true)}", which is not on ${origin}, where auth method "${ctx.method.id}" sent this authorization (RFC 9207 §2.4): a possible mix-up attack. Start the authorization again. If the provider's issuer identifier is on another origin, set the method's "issuer" variable to it.`,
    { details: { ...details, expectedIssuer: origin } },
  );
}

/**
 * Step 2 of SPEC §4, after the caller has taken the one-time pending authorization of the
 * callback's `state`: checks `iss` (RFC 9207 §2.4, before anything else, errors included) against
 * the method's `issuer`, or, with none set, against the origin of the authorization endpoint the
 * authorization went to; turns `error=` into `AUTH_DENIED` with the provider's error and
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
      checkIssuer(ctx, settings.issuer, params.get('iss'), data, secrets);
      const refusal = callbackRefusal(params, secrets);
      if (refusal !== undefined) {
        throw new SpliceError(
          'AUTH_DENIED',
          `The provider refused the authorization: ${refusal.said}. Ask the user to try again and grant access.`,
          {
            details: {
              ...details,
              providerError: refusal.providerError,
              ...(refusal.providerErrorDescription === undefined
                ? {}
                : { providerErrorDescription: refusal.providerErrorDescription }),
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
      // Values the method captures from the callback (QuickBooks realmId, Zoho accounts-server,
      // Shopify shop against its `equals`): checked before anything is sent, and usable in the
      // token URL and tabs.
      const captured = captureValues(
        (ctx.method.captured ?? []).filter((c) => c.from === 'callback'),
        (field) => params.get(field) ?? undefined,
        { source: 'callback', ids: details, values: ctx.values },
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
