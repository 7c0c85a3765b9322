export {
  leafPaths,
  type ParsedTokenResponse,
  parseTokenResponse,
  redactedShape,
} from './authTest/describeTokenResponse.js';
export {
  type RecordedExchange,
  startTokenRecorder,
  type TokenRecorder,
} from './authTest/startTokenRecorder.js';
export { builtInStrategies } from './builtInStrategies.js';
export {
  type CallbackServer,
  type CallbackServerOptions,
  startCallbackServer,
} from './callback/startCallbackServer.js';
export { type AuthTestOptions, authTestCommand } from './commands/authTestCommand.js';
export { DEFAULT_CALLBACK_PORT } from './commands/defaultCallbackPort.js';
export { type Output, processOutput } from './commands/Output.js';
export {
  type ValidationReport,
  validateCommand,
  validateConnectorFile,
} from './commands/validateCommand.js';
export { type CliOptions, runCli } from './runCli.js';
