import type { DashboardCredentialStatus } from '../DashboardRuntime.js';
import { html, type SafeHtml } from '../http/html.js';
import { formatTime } from './formatTime.js';

const STATES: Readonly<Record<string, { readonly text: string; readonly tone: string }>> = {
  valid: { text: 'Valid', tone: 'ok' },
  refresh_due: { text: 'Refreshed on the next call', tone: 'warn' },
  expired: { text: 'Expired', tone: 'warn' },
  missing: { text: 'No credentials stored', tone: 'bad' },
  reauthorization_required: { text: 'Sign-in needed', tone: 'bad' },
};

/**
 * The token status of an instance (`runtime.credentialStatus`): state, expiry, when the
 * credentials were obtained and last refreshed, the next proactive refresh, the granted scopes
 * and whether a refresh token is held. Never a token: the runtime's view holds none.
 *
 * @example
 * ```ts
 * credentialPanel(await runtime.credentialStatus(instance.id), Date.now());
 * ```
 */
export function credentialPanel(status: DashboardCredentialStatus, now: number): SafeHtml {
  const state = STATES[status.state] ?? { text: status.state, tone: 'warn' };
  const expired = status.state === 'expired';
  // A dead grant: the runtime says refreshable false, but a refresh token may still be stored.
  // Not said to be refused: an instance whose token expired without a refresh token, or whose
  // grant the API refused, is marked the same way.
  const dead = status.state === 'reauthorization_required';
  const row = (label: string, value: SafeHtml | string, key: string) =>
    html`<div data-fact="${key}"><dt>${label}</dt><dd>${value}</dd></div>`;
  const never = (text: string) => html`<span class="muted">${text}</span>`;
  return html`<section class="card" aria-labelledby="token-title" id="token-status">
  <h2 id="token-title" class="card-title">Token status <span class="badge badge-${state.tone}" data-credential-state="${status.state}">${state.text}</span></h2>
  <dl class="facts facts-wide">
    ${row('Expires', status.expiresAt === undefined ? never('no expiry given') : formatTime(status.expiresAt, now), 'expires')}
    ${row('Obtained', status.obtainedAt === undefined ? never('unknown') : formatTime(status.obtainedAt, now), 'obtained')}
    ${row('Last refresh', status.refreshedAt === undefined ? never('not since sign-in') : formatTime(status.refreshedAt, now), 'refreshed')}
    ${row(
      'Next refresh',
      status.nextRefreshAt !== undefined
        ? expired
          ? never('on the next call')
          : formatTime(status.nextRefreshAt, now)
        : never(
            dead
              ? 'none (sign in again)'
              : status.refreshable
                ? 'when the API refuses the token'
                : 'none (no refresh token)',
          ),
      'next-refresh',
    )}
    ${row('Refresh token', dead ? never('none usable') : status.refreshable ? 'held' : never('none'), 'refreshable')}
    ${row(
      'Granted scopes',
      status.scopes === undefined
        ? never('not reported')
        : status.scopes.length === 0
          ? never('none')
          : html`${status.scopes.map((scope) => html`<code class="scope">${scope}</code> `)}`,
      'scopes',
    )}
  </dl>
</section>`;
}
