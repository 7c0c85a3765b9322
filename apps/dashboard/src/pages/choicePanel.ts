import type { Instance } from '@splice/core';
import { html, type SafeHtml } from '../http/html.js';

/**
 * What the instance in `pending_choice` waits for, in the user's words, with a form to pick one of
 * `instance.pendingChoice.choices` (each shown by label, with its id underneath). The form posts
 * `stepId` and `choiceId` to `/instances/:id/choose`, which calls `runtime.chooseValue`. Without
 * a `pendingChoice` (a step failed) it says so and points at "Run the post-authorization steps
 * again". Empty for any other status.
 *
 * @example
 * ```ts
 * choicePanel(instance, { choose: true, rerun: true }, csrf);
 * ```
 */
export function choicePanel(
  instance: Instance,
  offered: { readonly choose: boolean; readonly rerun: boolean },
  csrf: string,
): SafeHtml | '' {
  if (instance.status !== 'pending_choice') return '';
  const pending = instance.pendingChoice;
  if (pending === undefined || !offered.choose) {
    return html`<section class="card" id="choice" aria-labelledby="choice-title">
  <h2 id="choice-title" class="card-title">Setup not finished</h2>
  <div class="alert alert-warning" role="alert">The sign-in worked, but the steps that follow it did not finish, so the instance cannot call its endpoints yet. ${offered.rerun ? 'Press “Run the post-authorization steps again” below once the provider side is fixed.' : 'Authorise again.'}</div>
</section>`;
  }
  const action = `/instances/${encodeURIComponent(instance.id)}/choose`;
  return html`<section class="card" id="choice" aria-labelledby="choice-title">
  <h2 id="choice-title" class="card-title">Choose the organisation this instance works with</h2>
  <p>Your sign-in reaches ${pending.choices.length === 1 ? 'one organisation' : `${pending.choices.length} organisations`} at the provider. Pick the one this instance should use; its endpoints are available once you have chosen.</p>
  <form class="choice-form" method="post" action="${action}" data-busy-label="Saving…">
    <input type="hidden" name="csrf" value="${csrf}">
    <input type="hidden" name="stepId" value="${pending.stepId}">
    <fieldset class="choices">
      <legend class="muted small">Step <code>${pending.stepId}</code></legend>
      ${pending.choices.map(
        (choice, index) => html`<label class="choice" data-choice-id="${choice.id}">
        <input type="radio" name="choiceId" value="${choice.id}" required${index === 0 ? html` aria-required="true"` : ''}>
        <span class="choice-label">${choice.label}</span>
        <code class="choice-id muted small">${choice.id}</code>
      </label>`,
      )}
    </fieldset>
    <div class="actions"><button type="submit" class="button button-primary" data-action="choose">Use this one</button></div>
  </form>
</section>`;
}
