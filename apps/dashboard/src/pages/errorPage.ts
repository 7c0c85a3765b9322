import type { Instance, ResolvedConnector } from '@splice/core';
import type { ErrorView } from '../http/describeError.js';
import { html, type SafeHtml } from '../http/html.js';
import { errorBox } from './errorBox.js';
import { instanceList } from './instanceList.js';
import { layout } from './layout.js';

/**
 * What {@link errorPage} shows.
 *
 * @example
 * ```ts
 * const model: ErrorPageModel = { title: 'Not found', error, instances: [], connectors };
 * ```
 */
export interface ErrorPageModel {
  readonly title: string;
  readonly error: ErrorView;
  readonly instances: readonly Instance[];
  readonly connectors: readonly ResolvedConnector[];
}

/**
 * A page for a failure that has no form to return to: a refused or replayed OAuth callback, an
 * unknown instance, a rejected request.
 *
 * @example
 * ```ts
 * errorPage({ title: 'Authorization failed', error: describeError(err), instances, connectors });
 * ```
 */
export function errorPage(model: ErrorPageModel): SafeHtml {
  return layout({
    title: model.title,
    main: html`<section class="card">
  <h1 class="card-title">${model.title}</h1>
  ${errorBox(model.error)}
  <p><a class="button" href="/">Back to the dashboard</a></p>
</section>`,
    side: instanceList(model.instances, model.connectors),
  });
}
