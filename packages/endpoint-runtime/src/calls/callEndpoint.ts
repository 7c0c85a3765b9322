import { SpliceError } from '@splice/core';
import type { CallInput, EndpointResult } from '../RuntimeOptions.js';
import type { EndpointTelemetry } from '../telemetry/EndpointTelemetry.js';
import { ActiveCall } from './ActiveCall.js';
import { checkCallInput } from './checkCallInput.js';
import type { Session } from './Session.js';
import { toEndpointResult } from './toEndpointResult.js';

const NO_INPUT: CallInput = Object.freeze({});

/**
 * Told when a call of an active instance failed with `REAUTHORIZATION_REQUIRED` (a dead grant),
 * before the caller gets the error: records the status change and fires the event. Never throws.
 *
 * @example
 * ```ts
 * const hook: ReauthorizationHook = async (session, error) => mark(session, error);
 * ```
 */
export type ReauthorizationHook = (session: Session, error: SpliceError) => Promise<void>;

/**
 * One endpoint call of a loaded instance (SPEC §5): gated by the instance's auth method, refused
 * while the instance needs re-authorization, sent through the instance's pipeline, turned into a
 * result (2xx) or an `ENDPOINT_HTTP_ERROR`, and reported through telemetry either way; a dead
 * grant is handed to `reauthorizationRequired` before it is thrown. A malformed `input` is a
 * coded `TypeError` before anything else; a variable the call may not set (`perCallRefusal`) is
 * `VARIABLE_INVALID` before anything is sent.
 *
 * @example
 * ```ts
 * const { data } = await callEndpoint(session, 'list-orders', {}, telemetry, hook);
 * ```
 */
export async function callEndpoint<T>(
  session: Session,
  endpointId: string,
  input: CallInput | undefined,
  telemetry: EndpointTelemetry,
  reauthorizationRequired: ReauthorizationHook,
): Promise<EndpointResult<T>> {
  if (input === undefined) input = NO_INPUT;
  else checkCallInput(input);
  const endpoint = session.endpoint(endpointId);
  endpoint.checkVariables(input.variables);
  const call = new ActiveCall(endpoint, input);
  const span = telemetry.start(endpoint.telemetry);
  const started = performance.now();
  try {
    if (session.record.status !== 'active') {
      throw session.record.status === 'pending_choice'
        ? choicePending(session)
        : reauthorizationPending(session);
    }
    const response = await (span.isRecording()
      ? telemetry.activate(span, () => session.send(call))
      : session.send(call));
    const result = toEndpointResult<T>(call, response);
    telemetry.succeed(
      span,
      endpoint.telemetry,
      response.status,
      call.attempts,
      performance.now() - started,
    );
    return result;
  } catch (error) {
    telemetry.fail(span, endpoint.telemetry, error, call.attempts, performance.now() - started);
    if (SpliceError.is(error, 'REAUTHORIZATION_REQUIRED') && session.record.status === 'active') {
      await reauthorizationRequired(session, error);
    }
    throw error;
  }
}

function choicePending(session: Session): SpliceError {
  const { record } = session;
  const pending = record.pendingChoice;
  return new SpliceError(
    'CHOICE_REQUIRED',
    pending === undefined
      ? `Instance "${record.id}" has not finished its post-authorization steps (one failed): run them again with updateInstance or renew the consent with beginAuthorization({ instanceId: "${record.id}" }).`
      : `Instance "${record.id}" waits for the user's choice in post-authorization step "${pending.stepId}" (${pending.choices.length} choices): record it with runtime.chooseValue(instance, "${pending.stepId}", choiceId).`,
    {
      details: {
        instanceId: record.id,
        connectorId: record.connectorId,
        stepIds: pending === undefined ? [] : [pending.stepId],
      },
    },
  );
}

function reauthorizationPending(session: Session): SpliceError {
  const { record } = session;
  return new SpliceError(
    'REAUTHORIZATION_REQUIRED',
    `Instance "${record.id}" needs re-authorization before it can call endpoints: its credentials were rejected and could not be refreshed. Renew it with beginAuthorization({ instanceId: "${record.id}" }).`,
    { details: { instanceId: record.id, connectorId: record.connectorId } },
  );
}
