export type { StrategyOptions } from '../shared/StrategyOptions.js';
export { TOKEN, tokenAuth } from './tokenAuth.js';
export { TOKEN_DEFAULT_VARIABLES } from './tokenVariables.js';
