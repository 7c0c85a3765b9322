export {
  type AuthTestContext,
  type AuthTestStep,
  defaultAuthTestSteps,
  type StepResult,
} from './authTest/authTestSteps.js';
export {
  leafPaths,
  type ParsedTokenResponse,
  parseTokenResponse,
  redactedShape,
} from './authTest/describeTokenResponse.js';
export { type ProbeResult, probeAuthorizationUrl } from './authTest/probeAuthorizationUrl.js';
export {
  type RecordedExchange,
  type RecordingDispatcher,
  recordingDispatcher,
} from './authTest/recordingDispatcher.js';
export { builtInStrategies } from './builtInStrategies.js';
export {
  type CallbackRequest,
  type CallbackServer,
  type CallbackServerOptions,
  startCallbackServer,
} from './callback/startCallbackServer.js';
export { type AuthTestOptions, authTestCommand } from './commands/authTestCommand.js';
export { type CallOptions, callCommand } from './commands/callCommand.js';
export { DEFAULT_CALLBACK_PORT, DEFAULT_SIMULATOR_PORT } from './commands/defaultCallbackPort.js';
export { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './commands/exitCodes.js';
export { type Explained, explainFailure, networkCause } from './commands/explainFailure.js';
export {
  deleteInstance,
  type InstancesOptions,
  listInstances,
  type ReauthorizeOptions,
  reauthorizeInstance,
  renameInstance,
  showInstance,
} from './commands/instancesCommand.js';
export { type Output, processOutput } from './commands/Output.js';
export {
  type OpenRuntime,
  openRuntime,
  parseKeys,
  type RuntimeSource,
} from './commands/openRuntime.js';
export { type Progress, startProgress } from './commands/progress.js';
export { envName, readVariables, type VariableSources } from './commands/readVariables.js';
export {
  type SimulateOptions,
  type SimulatorDescription,
  type SimulatorKit,
  simulateCommand,
} from './commands/simulateCommand.js';
export {
  type ValidationReport,
  validateCommand,
  validateConnectorFile,
} from './commands/validateCommand.js';
export { type CliOptions, runCli } from './runCli.js';
