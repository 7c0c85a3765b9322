import type { DashboardRequestPreview } from '../DashboardRuntime.js';
import type { ErrorView } from '../http/describeError.js';
import { html, type SafeHtml } from '../http/html.js';

/**
 * A request preview (`runtime.previewRequest`) as shown on an endpoint: the method and rendered
 * URL, the headers and the body, secrets already masked by the runtime; or why it cannot be
 * rendered yet (a value is missing).
 *
 * @example
 * ```ts
 * requestView({ method: 'GET', url: 'https://api.example/orders', headers: {}, signed: false }, 'Request that will be sent');
 * ```
 */
export function requestView(
  preview: DashboardRequestPreview | ErrorView,
  title: string,
  open: boolean,
): SafeHtml {
  if (!('url' in preview)) {
    return html`<details class="exchange request"${open ? html` open` : ''}><summary>${title}</summary>
  <p class="muted small" data-preview-problem>${preview.summary}</p></details>`;
  }
  const headers = Object.entries(preview.headers);
  return html`<details class="exchange request" data-request${open ? html` open` : ''}><summary>${title}</summary>
  <pre class="wire"><code><span class="wire-line" data-request-line>${preview.method} ${preview.url}</span>
${headers.map(([name, value]) => html`<span class="wire-header">${name}: ${value}</span>\n`)}${preview.body === undefined ? '' : html`\n${preview.body}`}</code></pre>
  ${preview.signed ? html`<p class="muted small">The authentication method signs each request as it is sent; the signature header is added then.</p>` : ''}
</details>`;
}

/**
 * Response headers as shown after a call, in a folded list.
 *
 * @example
 * ```ts
 * responseHeaders({ 'content-type': 'application/json' });
 * ```
 */
export function responseHeaders(headers: Readonly<Record<string, string>>): SafeHtml {
  const entries = Object.entries(headers);
  return html`<details class="exchange response-headers" data-response-headers><summary>Response headers <span class="count">${entries.length}</span></summary>
  <pre class="wire"><code>${entries.map(([name, value]) => html`<span class="wire-header">${name}: ${value}</span>\n`)}</code></pre>
</details>`;
}
