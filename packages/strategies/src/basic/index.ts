export type { StrategyOptions } from '../shared/StrategyOptions.js';
export { BASIC, basicAuth } from './basicAuth.js';
export { BASIC_DEFAULT_VARIABLES } from './basicVariables.js';
export { encodeBasicCredentials } from './encodeBasicCredentials.js';
