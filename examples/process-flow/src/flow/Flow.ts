import type { JsonValue, SpliceError } from '@splice/core';

/** What steps read: the run's input and every earlier step's output, by step name. */
export interface FlowContext {
  readonly input: Readonly<Record<string, JsonValue>>;
  readonly outputs: Readonly<Record<string, JsonValue>>;
}

/** Endpoint variable values of a connector step: fixed, or computed from earlier outputs. */
export type StepValues<T> = T | ((context: FlowContext) => T);

/**
 * The connector shape: calls one endpoint of one instance. The endpoint must be one that
 * `listEndpoints(instance)` offers (the shape's endpoint picker shows only those).
 */
export interface ConnectorStep {
  readonly kind: 'connector';
  readonly name: string;
  readonly instanceId: string;
  readonly endpointId: string;
  /** Endpoint variables (the shape's fields and filters). */
  readonly variables?: StepValues<Readonly<Record<string, string>>>;
  /** A request body for `send` endpoints. */
  readonly body?: StepValues<JsonValue>;
}

/** Plain code between connector steps: map, filter, pick. */
export interface TransformStep {
  readonly kind: 'transform';
  readonly name: string;
  run(context: FlowContext): JsonValue | Promise<JsonValue>;
}

/** One step of a flow. */
export type FlowStep = ConnectorStep | TransformStep;

/** A process flow: steps run in order, each one's output available to the next. */
export interface Flow {
  readonly id: string;
  readonly steps: readonly FlowStep[];
}

/** A run that finished every step. */
export interface CompletedRun {
  readonly status: 'completed';
  readonly flowId: string;
  readonly outputs: Readonly<Record<string, JsonValue>>;
}

/**
 * A run that stopped because an instance needs a new consent (`REAUTHORIZATION_REQUIRED`). Nothing
 * after `stepIndex` ran; `resume` continues from that step once the user has reconnected.
 */
export interface PausedRun {
  readonly status: 'paused';
  readonly flowId: string;
  readonly reason: 'reauthorization_required';
  readonly stepIndex: number;
  readonly stepName: string;
  readonly instanceId: string;
  /** Secret-free, for the user: which connection to renew. */
  readonly message: string;
  readonly input: Readonly<Record<string, JsonValue>>;
  readonly outputs: Readonly<Record<string, JsonValue>>;
}

/** A run that failed on a step for any other reason. */
export interface FailedRun {
  readonly status: 'failed';
  readonly flowId: string;
  readonly stepName: string;
  readonly error: SpliceError | Error;
  readonly outputs: Readonly<Record<string, JsonValue>>;
}

/** The result of running a flow. */
export type FlowRun = CompletedRun | PausedRun | FailedRun;
