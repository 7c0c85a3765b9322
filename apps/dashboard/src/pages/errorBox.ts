import type { ErrorView } from '../http/describeError.js';
import { html, type SafeHtml } from '../http/html.js';

/**
 * A clearly marked error panel: the stable code, the message, and the HTTP status and body when
 * the error came from an HTTP response.
 *
 * @example
 * ```ts
 * errorBox(describeError(err));
 * ```
 */
export function errorBox(error: ErrorView): SafeHtml {
  return html`<div class="alert alert-error" role="alert">
  <div class="alert-title"><span class="code">${error.code}</span>${error.status === undefined ? '' : html`<span class="status status-${Math.floor(error.status / 100)}xx">HTTP ${error.status}</span>`}</div>
  <p class="alert-message">${error.message}</p>
  ${error.body === undefined ? '' : html`<pre class="response-body">${error.body}</pre>`}
</div>`;
}
