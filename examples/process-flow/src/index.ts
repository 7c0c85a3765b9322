export {
  type ConnectorShape,
  createFlowEngine,
  type FlowEngine,
  type FlowEngineOptions,
  type FlowRuntime,
} from './flow/createFlowEngine.js';
export type {
  CompletedRun,
  ConnectorStep,
  FailedRun,
  Flow,
  FlowContext,
  FlowRun,
  FlowStep,
  PausedRun,
  StepValues,
  TransformStep,
} from './flow/Flow.js';
export {
  type ProcessFlowExampleOptions,
  type ProcessFlowExampleResult,
  runProcessFlowExample,
} from './runProcessFlowExample.js';
