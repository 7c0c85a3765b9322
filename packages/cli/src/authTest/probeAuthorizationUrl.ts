import { type CallbackRefusal, callbackRefusal } from '@splice/core';
import type { Dispatcher } from 'undici';

/** What the authorise URL answered before the user's browser gets it. */
export type ProbeResult =
  /** A login or consent page (or a redirect to one): the user can go on. */
  | { readonly kind: 'page' }
  /** The provider redirected straight back to the callback with an OAuth error. */
  | { readonly kind: 'refused'; readonly refusal: CallbackRefusal }
  /** The provider showed its own error page (how it answers a redirect_uri it does not know). */
  | {
      readonly kind: 'error-page';
      readonly status: number;
      readonly error?: string;
      readonly description?: string;
      /** The page's text, tags removed, at most 300 characters. */
      readonly text: string;
      /** The page speaks of the redirect URI. */
      readonly redirectUriMismatch: boolean;
    }
  /** The probe itself failed (network); the consent may still work in a browser. */
  | { readonly kind: 'unreachable'; readonly errorCode: string };

const MISMATCH = /redirect[\s_-]?ur[il]|callback[\s_-]?url|redirect_uri_mismatch/i;

function pageText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Requests the authorise URL once, without following redirects, before the user is sent there.
 * An OAuth provider does not redirect back when it does not accept the `redirect_uri` (RFC 6749
 * §4.1.2.1: it "MUST NOT automatically redirect the user-agent to the invalid redirection URI"):
 * it shows an error page, and a command waiting for the redirect would wait in silence. This
 * recognises that page (a 4xx/5xx answer; `error`/`error_description` read from the page as
 * oidc-provider and most providers print them) and a redirect straight back with `error=`.
 *
 * @example
 * ```ts
 * const probe = await probeAuthorizationUrl(url, callbackUrl, dispatcher);
 * if (probe.kind === 'error-page' && probe.redirectUriMismatch) explain();
 * ```
 */
export async function probeAuthorizationUrl(
  url: string,
  callbackUrl: string,
  dispatcher: Dispatcher,
): Promise<ProbeResult> {
  const target = new URL(url);
  let response: Dispatcher.ResponseData;
  try {
    response = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers: { accept: 'text/html' },
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { kind: 'unreachable', errorCode: typeof code === 'string' ? code : 'network error' };
  }
  const { statusCode, headers } = response;
  const body = (await response.body.text()).slice(0, 100_000);
  if (statusCode >= 300 && statusCode < 400) {
    const location = headers['location'];
    const next = new URL(String(Array.isArray(location) ? location[0] : (location ?? '')), target);
    const code = next.searchParams.get('code');
    const refusal = next.href.startsWith(callbackUrl)
      ? callbackRefusal(next.searchParams, code === null ? [] : [code])
      : undefined;
    if (refusal !== undefined) return { kind: 'refused', refusal };
    return { kind: 'page' };
  }
  if (statusCode < 400) return { kind: 'page' };
  const text = pageText(body);
  const error = /\berror\s*:\s*([a-z_]+)/i.exec(text)?.[1];
  const description = /\berror_description\s*:\s*(.+?)(?=\s+[a-z_]+\s*:\s|$)/i.exec(text)?.[1];
  return {
    kind: 'error-page',
    status: statusCode,
    ...(error === undefined ? {} : { error }),
    ...(description === undefined ? {} : { description }),
    text: text.slice(0, 300),
    redirectUriMismatch: MISMATCH.test(text) || error === 'invalid_redirect_uri',
  };
}
