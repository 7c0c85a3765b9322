import type { EndpointDefinition, Instance, JsonValue } from '@splice/core';
import { SpliceError } from '@splice/core';
import type { createRuntime } from '@splice/endpoint-runtime';
import type { ConnectorStep, Flow, FlowContext, FlowRun, PausedRun } from './Flow.js';

/** The Splice runtime a flow engine embeds. */
export type FlowRuntime = ReturnType<typeof createRuntime>;

/** What a connector shape's settings panel shows for one instance. */
export interface ConnectorShape {
  readonly instance: Instance;
  /** Only the endpoints the instance's auth method is enabled on, in definition order. */
  readonly endpoints: readonly Pick<
    EndpointDefinition,
    'id' | 'name' | 'entity' | 'direction' | 'variables'
  >[];
}

/** Options of {@link createFlowEngine}. */
export interface FlowEngineOptions {
  readonly runtime: FlowRuntime;
  /**
   * Told when an instance can no longer refresh its credentials (the grant was revoked or
   * expired): the place to notify the instance's owner to reconnect it.
   */
  readonly onReauthorizationRequired?: (instance: Instance, error: SpliceError) => void;
}

/** A tiny process-flow engine; see {@link createFlowEngine}. */
export interface FlowEngine {
  /** The instance and the endpoints a connector shape may offer for it. */
  connectorShape(instanceId: string): Promise<ConnectorShape>;
  /** Runs `flow` from its first step. */
  run(flow: Flow, input?: Readonly<Record<string, JsonValue>>): Promise<FlowRun>;
  /**
   * Continues a paused run from the step that paused it, after the user reconnected the instance
   * (`beginAuthorization({ instanceId })` keeps its id). `instances` maps an old instance id to a
   * different one when the user picked another instance instead.
   */
  resume(
    flow: Flow,
    paused: PausedRun,
    instances?: Readonly<Record<string, string>>,
  ): Promise<FlowRun>;
  /** Instances waiting for their owner to reconnect them. */
  readonly needsReauthorization: ReadonlySet<string>;
}

/**
 * Creates a tiny process-flow engine on a Splice runtime: flows are lists of steps, run in
 * order; a connector step calls one endpoint of one instance, transform steps are plain code.
 * It shows the three things an engine does with Splice:
 *
 * 1. its connector shape lists what an instance may call with `listEndpoints` (gating by auth
 *    method), and checks a step's endpoint against that list before calling;
 * 2. it calls endpoints with `callEndpoint`, passing the step's variables and body;
 * 3. it treats `REAUTHORIZATION_REQUIRED` as a pause, not a failure: the
 *    `reauthorizationRequired` event tells it (once) which instance lost its grant, runs that need
 *    the instance stop before the call and can be resumed after the user reconnects.
 *
 * @example
 * ```ts
 * const engine = createFlowEngine({ runtime, onReauthorizationRequired: (i) => mailOwner(i) });
 * const run = await engine.run({ id: 'sync', steps: [
 *   { kind: 'connector', name: 'customers', instanceId, endpointId: 'list-customers' },
 *   { kind: 'transform', name: 'count', run: ({ outputs }) => (outputs.customers as any[]).length },
 * ] });
 * ```
 */
export function createFlowEngine(options: FlowEngineOptions): FlowEngine {
  const { runtime } = options;
  const needsReauthorization = new Set<string>();
  runtime.on('reauthorizationRequired', (instance: Instance, error: SpliceError) => {
    needsReauthorization.add(instance.id);
    options.onReauthorizationRequired?.(instance, error);
  });

  const pause = (
    flow: Flow,
    stepIndex: number,
    step: ConnectorStep,
    context: FlowContext,
  ): PausedRun => ({
    status: 'paused',
    flowId: flow.id,
    reason: 'reauthorization_required',
    stepIndex,
    stepName: step.name,
    instanceId: step.instanceId,
    message: `Step "${step.name}" needs instance ${step.instanceId} to be reconnected (its authorization expired or was revoked); resume the run afterwards.`,
    input: context.input,
    outputs: context.outputs,
  });

  const callStep = async (step: ConnectorStep, context: FlowContext): Promise<JsonValue> => {
    // The connector shape only ever offers listed endpoints; a stored flow may be older than a
    // change to the connector. The runtime gates every call itself: an endpoint the instance's
    // method is not enabled for fails with ENDPOINT_NOT_ENABLED and nothing is sent.
    const resolve = <T>(value: T | ((c: FlowContext) => T) | undefined): T | undefined =>
      typeof value === 'function' ? (value as (c: FlowContext) => T)(context) : value;
    const variables = resolve(step.variables);
    const body = resolve(step.body);
    const result = await runtime.callEndpoint(step.instanceId, step.endpointId, {
      ...(variables === undefined ? {} : { variables }),
      ...(body === undefined ? {} : { body }),
    });
    return (result.data ?? result.body ?? null) as JsonValue;
  };

  const runFrom = async (
    flow: Flow,
    start: number,
    input: Readonly<Record<string, JsonValue>>,
    outputs: Record<string, JsonValue>,
  ): Promise<FlowRun> => {
    const context: FlowContext = { input, outputs };
    for (let index = start; index < flow.steps.length; index += 1) {
      const step = flow.steps[index]!;
      try {
        if (step.kind === 'connector') {
          if (needsReauthorization.has(step.instanceId)) return pause(flow, index, step, context);
          outputs[step.name] = await callStep(step, context);
        } else {
          outputs[step.name] = await step.run(context);
        }
      } catch (error) {
        if (step.kind === 'connector' && SpliceError.is(error, 'REAUTHORIZATION_REQUIRED')) {
          needsReauthorization.add(step.instanceId);
          return pause(flow, index, step, context);
        }
        return {
          status: 'failed',
          flowId: flow.id,
          stepName: step.name,
          error: error instanceof Error ? error : new Error(String(error)),
          outputs,
        };
      }
    }
    return { status: 'completed', flowId: flow.id, outputs };
  };

  return {
    needsReauthorization,
    async connectorShape(instanceId) {
      const instance = await runtime.getInstance(instanceId);
      if (instance === undefined) {
        throw new SpliceError(
          'INSTANCE_NOT_FOUND',
          `No instance ${instanceId}: pick an existing one.`,
          {
            details: { instanceId },
          },
        );
      }
      const endpoints = (await runtime.listEndpoints(instanceId)).map((endpoint) => ({
        id: endpoint.id,
        name: endpoint.name,
        ...(endpoint.entity === undefined ? {} : { entity: endpoint.entity }),
        direction: endpoint.direction,
        variables: endpoint.variables,
      }));
      return { instance, endpoints };
    },
    run(flow, input = {}) {
      return runFrom(flow, 0, input, {});
    },
    resume(flow, paused, instances = {}) {
      // The user reconnected: the instance is expected to work again; if not, the run pauses anew.
      needsReauthorization.delete(paused.instanceId);
      const remapped: Flow = {
        ...flow,
        steps: flow.steps.map((step) =>
          step.kind === 'connector' && instances[step.instanceId] !== undefined
            ? { ...step, instanceId: instances[step.instanceId]! }
            : step,
        ),
      };
      return runFrom(remapped, paused.stepIndex, paused.input, { ...paused.outputs });
    },
  };
}
