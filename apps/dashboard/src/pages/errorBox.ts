import type { ErrorView } from '../http/describeError.js';
import { html, type SafeHtml } from '../http/html.js';

/**
 * A clearly marked error panel: what happened and what to do, in the user's words, the HTTP
 * status and body when the error came from an HTTP response, and the stable code with the
 * runtime's developer message folded away under "Technical details".
 *
 * @example
 * ```ts
 * errorBox(describeError(err));
 * ```
 */
export function errorBox(error: ErrorView): SafeHtml {
  const technical = error.message !== error.summary;
  return html`<div class="alert alert-error" role="alert">
  <div class="alert-title"><span class="alert-summary">${error.summary}</span>${error.status === undefined ? '' : html`<span class="status status-${Math.floor(error.status / 100)}xx">HTTP ${error.status}</span>`}</div>
  ${error.hint === undefined ? '' : html`<p class="alert-hint">${error.hint}</p>`}
  ${error.body === undefined ? '' : html`<pre class="response-body">${error.body}</pre>`}
  <details class="technical"><summary>Technical details <span class="code">${error.code}</span></summary>${technical ? html`<p class="alert-message">${error.message}</p>` : ''}</details>
</div>`;
}
