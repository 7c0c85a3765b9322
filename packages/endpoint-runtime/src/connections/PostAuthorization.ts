import {
  type Choice,
  captureValues,
  type InstanceRecord,
  type PendingChoiceRecord,
  readPath,
  SpliceError,
} from '@splice/core';
import { ActiveCall } from '../calls/ActiveCall.js';
import { EndpointRequest } from '../calls/EndpointRequest.js';
import type { Sessions } from '../calls/Sessions.js';
import { toEndpointResult } from '../calls/toEndpointResult.js';
import type { CompiledStep } from '../catalog/CompiledConnector.js';
import type { ConnectorCatalog } from '../catalog/ConnectorCatalog.js';
import type { InstanceRepository } from './InstanceRepository.js';

const NO_INPUT = Object.freeze({});
// Choice ids listed in a CHOICE_INVALID message at most (they are not secret, but may be many).
const MAX_LISTED = 10;

type StepChoice = PendingChoiceRecord['choices'][number];

/**
 * The post-authorization steps of an instance's method (the definition's `postAuthorization`):
 * each step is sent as an endpoint of the method through the instance's own pipeline (rate
 * limit, retry, auth with refresh on an expired token, bounded reads), its answer's fields are
 * captured with core's `captureValues`, and the record is updated with compare-and-set after each
 * step, so a later step can use an earlier one's values. A step whose answer offers several
 * choices stops the run: the instance waits in `pending_choice` until {@link choose}; one choice
 * is taken as it is, none is `CAPTURE_INVALID`.
 *
 * @example
 * ```ts
 * const record = await postAuthorization.run(instanceId); // after consent
 * await postAuthorization.choose(instanceId, 'tenant', tenantId); // the user's pick
 * ```
 */
export class PostAuthorization {
  readonly #catalog: ConnectorCatalog;
  readonly #repository: InstanceRepository;
  readonly #sessions: Sessions;
  readonly #now: () => number;

  constructor(
    catalog: ConnectorCatalog,
    repository: InstanceRepository,
    sessions: Sessions,
    now: () => number,
  ) {
    this.#catalog = catalog;
    this.#repository = repository;
    this.#sessions = sessions;
    this.#now = now;
  }

  /**
   * Runs the steps of the instance's method from the first (after consent; again on demand) and
   * resolves to the record as stored: `active` when every step is done, `pending_choice` with a
   * `pendingChoice` when one waits for the user. A failing step leaves the instance in
   * `pending_choice` without a pending choice and throws its error (the step's
   * `ENDPOINT_HTTP_ERROR`, `CAPTURE_INVALID`, ...). An instance of a method without steps is
   * returned as it is.
   */
  async run(instanceId: string): Promise<InstanceRecord> {
    const record = await this.#repository.record(instanceId);
    const steps = this.#steps(record);
    if (steps.length === 0) return record;
    await this.#write(instanceId, (current) => ({
      ...withoutChoice(current),
      status: 'pending_choice',
    }));
    return this.#from(instanceId, steps, 0);
  }

  /**
   * Records the user's pick for the step that waits (`Instance.pendingChoice`), then runs the
   * remaining steps. `CHOICE_INVALID` when the instance does not wait for that step or offers no
   * such choice.
   */
  async choose(instanceId: string, stepId: string, choiceId: string): Promise<InstanceRecord> {
    const record = await this.#repository.record(instanceId);
    const steps = this.#steps(record);
    let chosen: StepChoice | undefined;
    let offered: readonly Choice[] = [];
    const written = await this.#repository.transition(instanceId, (current) => {
      const pending = current.pendingChoice;
      if (pending === undefined || pending.stepId !== stepId) return undefined;
      offered = pending.choices;
      chosen = pending.choices.find((choice) => choice.id === choiceId);
      if (chosen === undefined) return undefined;
      return {
        ...withoutChoice(current),
        captured: { ...current.captured, ...chosen.values },
        updatedAt: this.#stamp(),
      };
    });
    if (written === undefined) {
      const ids = { connectorId: record.connectorId, instanceId, stepId };
      throw chosen === undefined && offered.length > 0
        ? new SpliceError(
            'CHOICE_INVALID',
            `Instance "${instanceId}" offers no choice "${choiceId}" for step "${stepId}"; it offers ${offered
              .slice(0, MAX_LISTED)
              .map((c) => `"${c.id}" (${c.label})`)
              .join(', ')}${offered.length > MAX_LISTED ? ', …' : ''}.`,
            { details: { ...ids, choiceId } },
          )
        : new SpliceError(
            'CHOICE_INVALID',
            `Instance "${instanceId}" is not waiting for a choice in step "${stepId}"${record.pendingChoice === undefined ? '' : ` (it waits for step "${record.pendingChoice.stepId}")`}: read instance.pendingChoice.`,
            { details: ids },
          );
    }
    const index = steps.findIndex((s) => s.step.id === stepId);
    return this.#from(instanceId, steps, index + 1);
  }

  #steps(record: InstanceRecord): readonly CompiledStep[] {
    const connector = this.#catalog.connector(record.connectorId);
    return this.#catalog.method(connector, record.authMethodId).postAuthorization;
  }

  async #from(
    instanceId: string,
    steps: readonly CompiledStep[],
    first: number,
  ): Promise<InstanceRecord> {
    for (let index = first; index < steps.length; index++) {
      const compiled = steps[index]!;
      // A fresh session: it renders with every value captured so far.
      await this.#sessions.drop(instanceId);
      const session = await this.#sessions.load(instanceId);
      const request = new EndpointRequest(session, compiled.endpoint);
      const call = new ActiveCall(request, NO_INPUT);
      const ids = {
        connectorId: session.record.connectorId,
        authMethodId: session.record.authMethodId,
        instanceId,
      };
      const { step } = compiled;
      let data: unknown;
      try {
        data = toEndpointResult(call, await session.send(call)).data;
      } catch (error) {
        // The instance is saved: whatever failed (the network, a timeout, a refusal) names it and
        // the step, so the caller can show it waiting instead of asking for a new consent.
        if (!SpliceError.is(error)) throw error;
        throw new SpliceError(error.code, error.message, {
          cause: error.cause,
          details: { ...ids, ...error.details, stepId: step.id },
        });
      }
      const where = { source: 'step', stepId: step.id, ids } as const;
      if (step.choices === undefined) {
        const values = captureValues(step.captured, (field) => readPath(data, field), where);
        await this.#write(instanceId, (current) => ({
          ...current,
          captured: { ...current.captured, ...values },
        }));
        continue;
      }
      const { path, id, label } = step.choices;
      const items = readPath(data, path);
      const choices: StepChoice[] = [];
      for (const item of Array.isArray(items) ? items : []) {
        const choiceId = readPath(item, id);
        if (typeof choiceId !== 'string' && typeof choiceId !== 'number') continue;
        const shown = label === undefined ? undefined : readPath(item, label);
        choices.push({
          id: String(choiceId),
          label:
            typeof shown === 'string' || typeof shown === 'number'
              ? String(shown)
              : String(choiceId),
          values: captureValues(step.captured, (field) => readPath(item, field), where),
        });
      }
      if (choices.length === 0) {
        throw new SpliceError(
          'CAPTURE_INVALID',
          `The answer of post-authorization step "${step.id}" offers nothing to choose (${Array.isArray(items) ? 'an empty list' : `no list at "${path === '' ? '(the answer itself)' : path}"`}, or items without "${id}"): the user may have connected no organisation or site. Connect one at the provider, then run the steps again (updateInstance) or renew the consent.`,
          {
            details: {
              ...ids,
              key: step.captured[0]!.key,
              field: path,
              source: 'step',
              stepId: step.id,
              reason: 'no_choices',
            },
          },
        );
      }
      if (choices.length === 1) {
        // The only choice: taken as it is (nothing to ask the user).
        const values = choices[0]!.values;
        await this.#write(instanceId, (current) => ({
          ...current,
          captured: { ...current.captured, ...values },
        }));
        continue;
      }
      // Several: the user decides; the first is never taken silently.
      const pendingChoice: PendingChoiceRecord = { stepId: step.id, choices };
      const waiting = await this.#write(instanceId, (current) => ({
        ...current,
        status: 'pending_choice',
        pendingChoice,
      }));
      await this.#sessions.drop(instanceId);
      return waiting;
    }
    const done = await this.#write(instanceId, (current) => ({
      ...withoutChoice(current),
      status: 'active',
    }));
    await this.#sessions.drop(instanceId);
    return done;
  }

  async #write(
    instanceId: string,
    change: (current: InstanceRecord) => InstanceRecord,
  ): Promise<InstanceRecord> {
    const written = await this.#repository.transition(instanceId, (current) => ({
      ...change(current),
      updatedAt: this.#stamp(),
    }));
    return written!;
  }

  #stamp(): string {
    return new Date(this.#now()).toISOString();
  }
}

function withoutChoice(record: InstanceRecord): InstanceRecord {
  if (record.pendingChoice === undefined) return record;
  const { pendingChoice: _, ...rest } = record;
  return rest;
}
