import type { Instance, ResolvedAuthMethod, ResolvedConnector } from '@splice/core';
import type {
  DashboardCredentialStatus,
  DashboardEndpoint,
  DashboardRequestPreview,
} from '../DashboardRuntime.js';
import type { ErrorView } from '../http/describeError.js';
import { html, type SafeHtml } from '../http/html.js';
import { choicePanel } from './choicePanel.js';
import { credentialPanel } from './credentialPanel.js';
import { errorBox } from './errorBox.js';
import { type InstanceActions, instanceActions } from './instanceActions.js';
import { instanceList, statusBadge } from './instanceList.js';
import { layout } from './layout.js';
import { requestView, responseHeaders } from './requestView.js';

/**
 * The outcome of one endpoint call, shown under that endpoint.
 *
 * @example
 * ```ts
 * const outcome: CallOutcome = { endpointId: 'orders', ok: true, status: 200, durationMs: 12,
 *   contentType: 'application/json', headers: {}, text: '{}' };
 * ```
 */
export type CallOutcome =
  | {
      readonly endpointId: string;
      readonly ok: true;
      readonly status: number;
      readonly durationMs: number;
      readonly contentType: string | undefined;
      /** Response headers, secret-looking ones masked. */
      readonly headers: Readonly<Record<string, string>>;
      /** Pretty-printed JSON or the body text, bounded. */
      readonly text: string;
    }
  | { readonly endpointId: string; readonly ok: false; readonly error: ErrorView };

/**
 * Everything the instance page shows.
 *
 * @example
 * ```ts
 * instancePage({ instance, connector, method, endpoints, hiddenCount: 0, values: {}, bodyText: '',
 *   csrf, instances, connectors, actions, previews: new Map(), now: Date.now() });
 * ```
 */
export interface InstancePageModel {
  readonly instance: Instance;
  readonly connector: ResolvedConnector | undefined;
  readonly method: ResolvedAuthMethod | undefined;
  readonly endpoints: readonly DashboardEndpoint[];
  /** Endpoints of the connector that the instance's method does not enable. */
  readonly hiddenCount: number;
  readonly outcome?: CallOutcome;
  /** The endpoint variables entered for the last call. */
  readonly values: Readonly<Record<string, string>>;
  readonly bodyText: string;
  readonly flash?: string;
  readonly error?: ErrorView;
  readonly csrf: string;
  readonly instances: readonly Instance[];
  readonly connectors: readonly ResolvedConnector[];
  /** The actions the runtime offers for this instance. */
  readonly actions: InstanceActions;
  /** The token status, or why it could not be read; absent when the runtime cannot tell. */
  readonly credentialStatus?: DashboardCredentialStatus | ErrorView;
  /** Per endpoint id: the request a call would send (secrets masked), or why it cannot be shown. */
  readonly previews: ReadonlyMap<string, DashboardRequestPreview | ErrorView>;
  /** Epoch milliseconds the page is rendered at (relative times). */
  readonly now: number;
}

const REDACTED = '[redacted]';
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function details(model: InstancePageModel): SafeHtml {
  const { instance } = model;
  const secretKeys = new Set(
    [...(model.connector?.variables ?? []), ...(model.method?.variables ?? [])]
      .filter((variable) => variable.secret)
      .map((variable) => variable.key),
  );
  const rows = Object.entries(instance.variables).map(
    ([key, value]) =>
      html`<tr><th scope="row"><code>${key}</code></th><td>${
        secretKeys.has(key) || value === REDACTED
          ? html`<span class="tag tag-secret">hidden</span>`
          : value === ''
            ? html`<span class="muted">empty</span>`
            : value
      }</td></tr>`,
  );
  // Secret captured values already read "[redacted]" from the runtime; the declaration is checked
  // too, so a runtime that forgot to mask one still shows nothing.
  const method = model.method;
  const secretCaptured = new Set(
    [
      ...(method?.captured ?? []),
      ...(method?.postAuthorization ?? []).flatMap((step) => step.captured),
    ]
      .filter((value) => value.secret)
      .map((value) => value.key),
  );
  const captured = Object.entries(instance.captured ?? {}).map(
    ([key, value]) =>
      html`<tr data-captured="${key}"><th scope="row"><code>${key}</code></th><td>${
        secretCaptured.has(key) || value === REDACTED
          ? html`<span class="tag tag-secret">hidden</span>`
          : value === ''
            ? html`<span class="muted">empty</span>`
            : value
      }</td></tr>`,
  );
  return html`<dl class="facts">
  <div><dt>Connector</dt><dd>${model.connector?.name ?? instance.connectorId}</dd></div>
  <div><dt>Authentication</dt><dd>${model.method?.name ?? instance.authMethodId}${model.method === undefined ? '' : html`<br><span class="tag">${model.method.type}</span>`}</dd></div>
  <div><dt>Added</dt><dd><time datetime="${instance.createdAt}">${instance.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}</time></dd></div>
</dl>
${
  rows.length === 0
    ? ''
    : html`<details class="variables"><summary>Variables <span class="count">${rows.length}</span></summary><table class="kv">${rows}</table></details>`
}
${
  captured.length === 0
    ? ''
    : html`<div class="captured" id="captured"><h3 class="small">Captured from the provider <span class="count">${captured.length}</span></h3><p class="muted small">Given at sign-in or by the steps after it; used in the endpoints’ URLs and headers.</p><table class="kv">${captured}</table></div>`
}`;
}

function outcomeView(outcome: CallOutcome): SafeHtml {
  if (!outcome.ok)
    return html`<div class="result">${errorBox(outcome.error)}${
      outcome.error.headers === undefined ? '' : responseHeaders(outcome.error.headers)
    }</div>`;
  const klass = `status-${Math.floor(outcome.status / 100)}xx`;
  return html`<div class="result" role="status" aria-live="polite">
  <div class="result-head">
    <span class="status ${klass}" data-status="${outcome.status}">HTTP ${outcome.status}</span>
    <span class="muted small">${outcome.durationMs} ms${outcome.contentType === undefined ? '' : ` · ${outcome.contentType}`}</span>
  </div>
  ${responseHeaders(outcome.headers)}
  <pre class="response-body"><code>${outcome.text === '' ? '(empty body)' : outcome.text}</code></pre>
</div>`;
}

function endpointCard(model: InstancePageModel, endpoint: DashboardEndpoint): SafeHtml {
  const outcome = model.outcome?.endpointId === endpoint.id ? model.outcome : undefined;
  const values = outcome === undefined ? {} : model.values;
  const id = (key: string): string => `ep-${endpoint.id}-${key}`;
  const action = `/instances/${encodeURIComponent(model.instance.id)}/endpoints/${encodeURIComponent(endpoint.id)}`;
  return html`<article class="endpoint" id="endpoint-${endpoint.id}" data-endpoint-id="${endpoint.id}">
  <header class="endpoint-head">
    <span class="http-method http-${endpoint.method.toLowerCase()}">${endpoint.method}</span>
    <h3 class="endpoint-name">${endpoint.name}</h3>
    ${endpoint.entity === undefined ? '' : html`<span class="tag">${endpoint.entity}</span>`}
    ${endpoint.direction === undefined ? '' : html`<span class="tag tag-quiet">${endpoint.direction}</span>`}
  </header>
  <code class="endpoint-url" title="URL template">${endpoint.url}</code>
  ${(() => {
    const preview = model.previews.get(endpoint.id);
    if (preview === undefined) return '';
    return requestView(
      preview,
      outcome === undefined
        ? 'Request that will be sent (with the values below; secrets masked)'
        : 'Request sent (secrets masked)',
      outcome !== undefined,
    );
  })()}
  <form class="endpoint-form" method="post" action="${action}#endpoint-${endpoint.id}" data-busy-label="Calling…">
    <input type="hidden" name="csrf" value="${model.csrf}">
    ${
      endpoint.variables.length === 0
        ? ''
        : html`<div class="fields fields-compact">${endpoint.variables.map(
            (variable) => html`<div class="field">
      <label for="${id(variable.key)}">${variable.label ?? variable.key}${variable.required ? html`<span class="required" title="Required">*</span>` : ''}</label>
      <input id="${id(variable.key)}" name="v.${variable.key}" type="${variable.secret ? 'password' : 'text'}"
        value="${variable.secret ? '' : (values[variable.key] ?? variable.default ?? '')}"
        ${variable.required ? html`required aria-required="true"` : ''} autocomplete="off" spellcheck="false">
      <span class="hint"><code>${variable.key}</code></span>
    </div>`,
          )}</div>`
    }
    ${
      WRITE_METHODS.has(endpoint.method)
        ? html`<div class="field field-wide">
      <label for="${id('body')}">Extra JSON body <span class="muted small">(optional, merged over the endpoint's body)</span></label>
      <textarea id="${id('body')}" name="body" rows="3" spellcheck="false" placeholder="{}">${outcome === undefined ? '' : model.bodyText}</textarea>
    </div>`
        : ''
    }
    <div class="actions"><button type="submit" class="button">Call endpoint</button></div>
  </form>
  ${outcome === undefined ? '' : outcomeView(outcome)}
</article>`;
}

/**
 * The page of one instance: its facts, and exactly the endpoints its authentication method
 * enables (from `runtime.listEndpoints`), each with its endpoint variables as inputs and a button
 * that calls it and shows the status and the pretty-printed response.
 *
 * @example
 * ```ts
 * instancePage({ instance, connector, method, endpoints, hiddenCount: 1, values: {}, bodyText: '',
 *   csrf, instances, connectors });
 * ```
 */
export function instancePage(model: InstancePageModel): SafeHtml {
  const { instance } = model;
  const methodName = model.method?.name ?? instance.authMethodId;
  const main = html`<section class="card" aria-labelledby="instance-title">
  <div class="instance-head">
    <h1 id="instance-title" class="card-title">${instance.name}</h1>
    ${statusBadge(instance.status)}
    <code class="instance-id" title="Instance id">${instance.id}</code>
  </div>
  ${model.flash === undefined ? '' : html`<div class="alert alert-success" role="status">${model.flash}</div>`}
  ${model.error === undefined ? '' : errorBox(model.error)}
  ${
    instance.status === 'reauthorization_required'
      ? html`<div class="alert alert-warning reauthorize" role="alert">
    <span>This instance has no usable credentials: the provider stopped accepting them, or it was disconnected. ${model.actions.reauthorize ? 'Press “Authorise again” below to sign in again; the instance keeps its id and settings.' : 'Delete it and add it again.'}</span>
  </div>`
      : ''
  }
  ${details(model)}
</section>
${choicePanel(instance, { choose: model.actions.choose, rerun: model.actions.rerun }, model.csrf)}
${
  model.credentialStatus === undefined
    ? ''
    : 'code' in model.credentialStatus
      ? html`<section class="card" id="token-status"><h2 class="card-title">Token status</h2>${errorBox(model.credentialStatus)}</section>`
      : credentialPanel(model.credentialStatus, model.now)
}
${instanceActions(instance, model.actions, model.csrf)}
<section class="card" aria-labelledby="endpoints-title">
  <h2 id="endpoints-title" class="card-title">Endpoints <span class="count">${model.endpoints.length}</span></h2>
  <p class="muted">Enabled for <strong>${methodName}</strong>.${
    model.hiddenCount === 0
      ? ''
      : ` ${model.hiddenCount} other endpoint${model.hiddenCount === 1 ? ' is' : 's are'} enabled only for other methods and not offered here.`
  }</p>
  ${
    model.endpoints.length === 0
      ? html`<p class="empty muted">No endpoint has this method enabled.</p>`
      : html`<div class="endpoint-list">${model.endpoints.map((endpoint) => endpointCard(model, endpoint))}</div>`
  }
</section>`;
  return layout({
    title: instance.name,
    main,
    side: instanceList(model.instances, model.connectors, instance.id),
  });
}
