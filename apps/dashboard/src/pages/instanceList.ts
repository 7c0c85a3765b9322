import type { Instance, ResolvedConnector } from '@splice/core';
import { html, type SafeHtml } from '../http/html.js';

/**
 * The status badge of an instance: `active`, `reauthorization_required` or `pending_choice`.
 *
 * @example
 * ```ts
 * statusBadge('active');
 * ```
 */
export function statusBadge(status: Instance['status']): SafeHtml {
  const text =
    status === 'active'
      ? 'Active'
      : status === 'pending_choice'
        ? 'Waiting for a choice'
        : 'Re-authorization required';
  return html`<span class="badge badge-${status}" data-status="${status}">${text}</span>`;
}

/**
 * The sidebar: every known instance with its connector, method and status, linking to its page.
 *
 * @example
 * ```ts
 * instanceList(instances, connectors, currentId);
 * ```
 */
export function instanceList(
  instances: readonly Instance[],
  connectors: readonly ResolvedConnector[],
  currentId?: string,
): SafeHtml {
  const describe = (instance: Instance): string => {
    const connector = connectors.find((c) => c.id === instance.connectorId);
    const method = connector?.authMethods.find((m) => m.id === instance.authMethodId);
    return `${connector?.name ?? instance.connectorId} · ${method?.name ?? instance.authMethodId}`;
  };
  return html`<section class="card instances" aria-labelledby="instances-title">
  <h2 id="instances-title" class="card-title">Instances <span class="count">${instances.length}</span></h2>
  ${
    instances.length === 0
      ? html`<p class="muted empty">No instances yet. Pick a connector and an authentication method to add one.</p>`
      : html`<ul class="instance-list">${instances.map(
          (instance) => html`<li>
    <a class="instance-link${instance.id === currentId ? ' current' : ''}" href="/instances/${encodeURIComponent(instance.id)}" data-instance-id="${instance.id}">
      <span class="instance-name">${instance.name}</span>
      <span class="instance-meta">${describe(instance)}</span>
      ${statusBadge(instance.status)}
    </a>
  </li>`,
        )}</ul>`
  }
</section>`;
}
