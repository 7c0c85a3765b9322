import type { Span } from '@opentelemetry/api';
import { type AuthContext, type Credentials, SpliceError } from '@splice/core';
import type { Dispatcher } from 'undici';
import { readDialect } from '../dialect/readDialect.js';
import type { ResolvedOptions } from '../OAuth2AuthorizationCodeOptions.js';
import type { OAuthSettings } from '../settings/OAuthSettings.js';
import { secretValues } from '../settings/secretValues.js';
import { processTokenResponse } from './processTokenResponse.js';
import { renderRequestParts } from './renderRequestParts.js';
import { sendTokenRequest } from './sendTokenRequest.js';

/** One token request of the strategy: what differs between code exchange and refresh. */
export interface TokenCall {
  readonly url: string;
  readonly params: Readonly<Record<string, string>>;
  /** For messages: `exchange` (a code), `refresh` (a refresh token), `request` (client credentials). */
  readonly operation: 'exchange' | 'refresh' | 'request';
  /** Secret values of this call (code, verifier, refresh token) to scrub from messages. */
  readonly secrets: readonly string[];
  readonly previousRefreshToken?: string;
  /** Values captured before (callback, earlier token responses): kept unless carried again. */
  readonly previousCaptured?: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, string>>;
  readonly span: Span;
}

/**
 * Sends a token request with the method's client authentication, header and body tabs, timeout
 * and retries, and judges the answer. Records status and attempts on `span`; nothing secret.
 *
 * @example
 * ```ts
 * const credentials = await requestToken(ctx, settings, options, { url, params, operation:
 *   'exchange', secrets: [code], details: {}, span });
 * ```
 */
export async function requestToken(
  ctx: AuthContext,
  settings: OAuthSettings,
  options: ResolvedOptions,
  call: TokenCall,
): Promise<Credentials> {
  const parts = renderRequestParts(ctx, 'token');
  const dialect = readDialect(ctx.method);
  const secrets = [...secretValues(ctx), ...call.secrets];
  try {
    const response = await sendTokenRequest({
      url: call.url,
      params: call.params,
      extraBody: parts.body,
      headers: parts.headers,
      authMethod: settings.authMethod,
      clientId: settings.clientId ?? '',
      clientSecret: settings.clientSecret,
      timeoutMs: ctx.method.timeoutSeconds * 1000,
      dispatcher: ctx.dispatcher as Dispatcher | undefined,
      retry: options.retry,
      now: ctx.now,
      onRetry: (attempt, reason) =>
        ctx.logger.warn(
          `splice: token ${call.operation} attempt ${attempt} failed (${reason}), retrying`,
          {
            ...call.details,
            attempt,
            reason,
          },
        ),
      details: call.details,
    });
    call.span.setAttribute('http.response.status_code', response.status);
    call.span.setAttribute('splice.attempts', response.attempts);
    return processTokenResponse(response, {
      accessTokenKey: settings.accessTokenKey,
      refreshTokenKey: settings.refreshTokenKey,
      expiresInKey: settings.expiresInKey,
      ...(call.previousRefreshToken === undefined
        ? {}
        : { previousRefreshToken: call.previousRefreshToken }),
      now: ctx.now(),
      secrets,
      details: call.details,
      operation: call.operation,
      // A scheme the definition writes in its own apply always wins: any token_type is accepted.
      // With the strategy's default apply, the dialect says which token types are bearer tokens.
      customApply: ctx.method.apply !== undefined,
      bearerTokenTypes: dialect.bearerTokenTypes,
      // Only a refresh can find the grant dead; a refused code is just a failed exchange.
      ...(call.operation === 'refresh' ? { invalidGrantBody: dialect.invalidGrantBody } : {}),
      captured: (ctx.method.captured ?? []).filter((c) => c.from === 'token'),
      ...(call.previousCaptured === undefined ? {} : { previousCaptured: call.previousCaptured }),
      onCaptureRefused: (error) =>
        ctx.logger.warn(`splice: ${error.message} The previous value is kept.`, {
          ...call.details,
          code: error.code,
          key: error.details.key,
          reason: error.details.reason,
        }),
    });
  } catch (error) {
    if (SpliceError.is(error) && typeof error.details['attempts'] === 'number')
      call.span.setAttribute('splice.attempts', error.details['attempts']);
    throw error;
  }
}
