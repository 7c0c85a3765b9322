import type { Instance } from '@splice/core';
import { html, type SafeHtml } from '../http/html.js';

/**
 * Which instance actions the runtime offers and the method allows.
 *
 * @example
 * ```ts
 * const actions: InstanceActions = { rename: true, remove: true, reauthorize: true, disconnect: true,
 *   choose: true, rerun: true };
 * ```
 */
export interface InstanceActions {
  readonly rename: boolean;
  readonly remove: boolean;
  /** Interactive methods: a new consent for the same instance. */
  readonly reauthorize: boolean;
  /** Interactive methods: forget the credentials until a new consent. */
  readonly disconnect: boolean;
  /** Methods with post-authorization steps: pick a pending choice (`runtime.chooseValue`). */
  readonly choose: boolean;
  /** Methods with post-authorization steps: run them again (`rerunPostAuthorization`). */
  readonly rerun: boolean;
}

/**
 * The "Manage" panel of an instance: rename, authorise again (a new consent for the same
 * instance), run the post-authorization steps again (another organisation or site to pick),
 * disconnect (forget its credentials; it stays, waiting for a new consent) and delete.
 * Every action is a `POST` form carrying the page's form token; disconnect and delete ask first.
 *
 * @example
 * ```ts
 * instanceActions(instance, { rename: true, remove: true, reauthorize: true, disconnect: true,
 *   choose: true, rerun: false }, csrf);
 * ```
 */
export function instanceActions(
  instance: Instance,
  actions: InstanceActions,
  csrf: string,
): SafeHtml {
  const base = `/instances/${encodeURIComponent(instance.id)}`;
  const token = html`<input type="hidden" name="csrf" value="${csrf}">`;
  return html`<section class="card" aria-labelledby="manage-title" id="manage">
  <h2 id="manage-title" class="card-title">Manage</h2>
  ${
    actions.rename
      ? html`<form class="inline-form" method="post" action="${base}/rename" data-busy-label="Saving…">
    ${token}
    <label for="rename-name">Name</label>
    <input id="rename-name" name="name" type="text" value="${instance.name}" required aria-required="true" autocomplete="off">
    <button type="submit" class="button">Rename</button>
  </form>`
      : ''
  }
  <div class="action-row">
    ${
      actions.reauthorize
        ? html`<form method="post" action="${base}/reauthorize" data-busy-label="Redirecting…">
      ${token}
      <button type="submit" class="button${instance.status === 'reauthorization_required' ? ' button-primary' : ''}" data-action="reauthorize">Authorise again</button>
      <span class="muted small">A new consent at the provider; the instance keeps its id and settings.</span>
    </form>`
        : ''
    }
    ${
      actions.rerun && instance.status !== 'reauthorization_required'
        ? html`<form method="post" action="${base}/rerun" data-busy-label="Running…">
      ${token}
      <button type="submit" class="button" data-action="rerun">Run the post-authorization steps again</button>
      <span class="muted small">Asks the provider again which organisations or sites this sign-in reaches; you choose again when there are several.</span>
    </form>`
        : ''
    }
    ${
      actions.disconnect && instance.status === 'active'
        ? html`<form method="post" action="${base}/disconnect" data-confirm="Disconnect “${instance.name}”? Its tokens are forgotten here until you authorise again." data-busy-label="Disconnecting…">
      ${token}
      <button type="submit" class="button button-warning" data-action="disconnect">Disconnect</button>
      <span class="muted small">Forgets the tokens; the instance stays and waits for a new consent. The provider is not told: revoke the app there too if needed.</span>
    </form>`
        : ''
    }
    ${
      actions.remove
        ? html`<form method="post" action="${base}/delete" data-confirm="Delete “${instance.name}” and its credentials? This cannot be undone." data-busy-label="Deleting…">
      ${token}
      <button type="submit" class="button button-danger" data-action="delete">Delete</button>
      <span class="muted small">Removes the instance and its credentials.</span>
    </form>`
        : ''
    }
  </div>
</section>`;
}
