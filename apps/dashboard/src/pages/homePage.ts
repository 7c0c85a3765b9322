import type { Instance, ResolvedAuthMethod, ResolvedConnector } from '@splice/core';
import type { FormField } from '../form/formFields.js';
import type { ErrorView } from '../http/describeError.js';
import { html, type SafeHtml } from '../http/html.js';
import { errorBox } from './errorBox.js';
import { instanceList } from './instanceList.js';
import { layout } from './layout.js';

/**
 * Everything the add-instance page shows.
 *
 * @example
 * ```ts
 * const model: HomePageModel = { connectors, interactive: false, fields: [], values: {}, name: '', csrf, instances: [] };
 * ```
 */
export interface HomePageModel {
  readonly connectors: readonly ResolvedConnector[];
  readonly connector?: ResolvedConnector;
  readonly method?: ResolvedAuthMethod;
  readonly interactive: boolean;
  readonly fields: readonly FormField[];
  /** Values entered before an error, secret ones left out. */
  readonly values: Readonly<Record<string, string>>;
  readonly name: string;
  readonly error?: ErrorView;
  /** Said above the form after a failed authorization (which entries were kept). */
  readonly notice?: string;
  /** Said after a successful action (an instance deleted). */
  readonly flash?: string;
  /** The redirect URI the selected method's flow uses: what to register with the provider. */
  readonly redirectUri?: string;
  readonly csrf: string;
  readonly instances: readonly Instance[];
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function connectorChoices(model: HomePageModel): SafeHtml {
  return html`<ol class="choices" aria-label="Connectors">${model.connectors.map(
    (
      connector,
    ) => html`<li><a class="choice${connector.id === model.connector?.id ? ' selected' : ''}"
      href="/?connector=${encodeURIComponent(connector.id)}" data-connector="${connector.id}"
      ${connector.id === model.connector?.id ? html`aria-current="true"` : ''}>
    <span class="choice-title">${connector.name}</span>
    <span class="choice-meta">v${connector.version} · ${plural(connector.authMethods.length, 'method')} · ${plural(connector.endpoints.length, 'endpoint')}</span>
    ${connector.description === undefined ? '' : html`<span class="choice-desc">${connector.description}</span>`}
  </a></li>`,
  )}</ol>`;
}

function methodChoices(model: HomePageModel, connector: ResolvedConnector): SafeHtml {
  return html`<ol class="choices" aria-label="Authentication methods">${connector.authMethods.map(
    (method) => {
      const enabled = connector.endpoints.filter((e) => e.authMethods.includes(method.id)).length;
      const selected = method.id === model.method?.id;
      return html`<li><a class="choice${selected ? ' selected' : ''}"
      href="/?connector=${encodeURIComponent(connector.id)}&amp;method=${encodeURIComponent(method.id)}"
      data-method="${method.id}" ${selected ? html`aria-current="true"` : ''}>
    <span class="choice-title">${method.name}</span>
    <span class="choice-meta"><span class="tag">${method.type}</span> ${plural(enabled, 'endpoint')} enabled</span>
  </a></li>`;
    },
  )}</ol>`;
}

function fieldInput(field: FormField, values: Readonly<Record<string, string>>): SafeHtml {
  const id = `var-${field.key}`;
  const value = field.secret
    ? ''
    : field.editable
      ? (values[field.key] ?? field.value)
      : field.value;
  const placeholder = !field.secret
    ? ''
    : field.hasSecretDefault
      ? field.editable
        ? 'Leave empty to keep the default'
        : 'Set by the connector'
      : '';
  const required = field.editable && field.required && !field.hasSecretDefault;
  return html`<div class="field${field.editable ? '' : ' field-fixed'}">
  <label for="${id}">${field.label}${field.required ? html`<span class="required" title="Required">*</span>` : ''}${field.secret ? html`<span class="tag tag-secret">secret</span>` : ''}${field.editable ? '' : html`<span class="tag tag-quiet" title="Not configurable per instance">fixed</span>`}</label>
  <input id="${id}" ${field.submitted ? html`name="v.${field.key}"` : ''} type="${field.secret ? 'password' : 'text'}"
    value="${value}" ${required ? html`required aria-required="true"` : ''} ${field.editable ? '' : html`readonly`}
    ${placeholder === '' ? '' : html`placeholder="${placeholder}"`}
    autocomplete="${field.secret ? 'new-password' : 'off'}" spellcheck="false">
  <span class="hint"><code>${field.key}</code>${field.alias === undefined ? '' : html` · sent as <code>${field.alias}</code>`}${field.locked ? ' · strategy default' : ''}</span>
</div>`;
}

function fieldGroup(
  title: string,
  fields: readonly FormField[],
  values: Readonly<Record<string, string>>,
): SafeHtml {
  if (fields.length === 0) return html``;
  return html`<fieldset class="group"><legend>${title}</legend>
  <div class="fields">${fields.map((field) => fieldInput(field, values))}</div>
</fieldset>`;
}

function instanceForm(
  model: HomePageModel,
  connector: ResolvedConnector,
  method: ResolvedAuthMethod,
): SafeHtml {
  const basic = model.fields.filter((field) => !field.advanced);
  const advanced = model.fields.filter((field) => field.advanced);
  // A required advanced field must be visible, or the browser cannot point the user at it.
  const openAdvanced = advanced.some(
    (field) => field.editable && field.required && field.value === '',
  );
  return html`<form class="instance-form" method="post" action="/instances" data-busy-label="${model.interactive ? 'Redirecting to the provider…' : 'Checking credentials…'}">
  <input type="hidden" name="csrf" value="${model.csrf}">
  <input type="hidden" name="connectorId" value="${connector.id}">
  <input type="hidden" name="authMethodId" value="${method.id}">
  <div class="form-head">
    <h3>${method.name}</h3>
    <p class="muted">${
      model.interactive
        ? "Authorise sends you to the provider's consent page; you come back here with the instance added."
        : 'The credentials are checked and the instance is added at once.'
    }${method.documentationUrl === undefined ? '' : html` <a href="${method.documentationUrl}" rel="noreferrer noopener" target="_blank">Documentation</a>`}</p>
  </div>
  ${
    model.interactive && model.redirectUri !== undefined
      ? html`<div class="redirect-uri" data-redirect-uri>
    <strong>Redirect URI to register with the provider</strong>
    <code class="copyable">${model.redirectUri}</code>
    <span class="muted small">Add it to the app's allowed redirect (callback) URIs at the provider before you press Authorise, exactly as written here.</span>
  </div>`
      : ''
  }
  <div class="field field-wide">
    <label for="instance-name">Instance name<span class="required" title="Required">*</span></label>
    <input id="instance-name" name="name" type="text" value="${model.name}" required aria-required="true" autocomplete="off" placeholder="e.g. Production">
  </div>
  ${fieldGroup(
    'Connector variables',
    basic.filter((f) => f.level === 'connector'),
    model.values,
  )}
  ${fieldGroup(
    'Authentication variables',
    basic.filter((f) => f.level === 'auth'),
    model.values,
  )}
  ${
    advanced.length === 0
      ? ''
      : html`<details class="advanced"${openAdvanced ? html` open` : ''}>
    <summary>Advanced settings <span class="count">${advanced.length}</span></summary>
    <div class="fields">${advanced.map((field) => fieldInput(field, model.values))}</div>
  </details>`
  }
  <div class="actions">
    <button type="submit" class="button button-primary">${model.interactive ? 'Authorise' : 'Add instance'}</button>
    <span class="muted small"><span class="required">*</span> required</span>
  </div>
</form>`;
}

/**
 * The add-instance page: pick a connector, then an authentication method, then fill the form
 * generated from its variables (required ones marked, secrets as password fields, advanced ones
 * folded away, defaults filled in).
 *
 * @example
 * ```ts
 * homePage({ connectors, interactive: false, fields: [], values: {}, name: '', csrf, instances: [] });
 * ```
 */
export function homePage(model: HomePageModel): SafeHtml {
  const { connector, method } = model;
  const main = html`<section class="card" aria-labelledby="add-title">
  <h1 id="add-title" class="card-title">Add an instance</h1>
  ${model.flash === undefined ? '' : html`<div class="alert alert-success" role="status">${model.flash}</div>`}
  ${model.error === undefined ? '' : errorBox(model.error)}
  ${model.notice === undefined ? '' : html`<p class="alert alert-info" data-notice>${model.notice}</p>`}
  <div class="step"><h2 class="step-title"><span class="step-no">1</span>Connector</h2>${connectorChoices(model)}</div>
  ${
    connector === undefined
      ? ''
      : html`<div class="step"><h2 class="step-title"><span class="step-no">2</span>Authentication method</h2>${methodChoices(model, connector)}</div>`
  }
  ${
    connector === undefined || method === undefined
      ? ''
      : html`<div class="step"><h2 class="step-title"><span class="step-no">3</span>Details</h2>${instanceForm(model, connector, method)}</div>`
  }
</section>`;
  return layout({
    title: 'Add an instance',
    main,
    side: instanceList(model.instances, model.connectors),
  });
}
