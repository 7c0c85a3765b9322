export type { StrategyOptions } from '../shared/StrategyOptions.js';
export { OAUTH1, oauth1 } from './oauth1.js';
export { OAUTH1_PRE_ISSUED, oauth1PreIssued } from './oauth1PreIssued.js';
export { OAUTH1_PRE_ISSUED_DEFAULT_VARIABLES } from './oauth1PreIssuedVariables.js';
export { OAUTH1_DEFAULT_VARIABLES } from './oauth1Variables.js';
export { baseStringUri } from './signing/baseStringUri.js';
export { computeSignature } from './signing/computeSignature.js';
export { normalizeParameters } from './signing/normalizeParameters.js';
export {
  OAUTH1_SIGNATURE_METHODS,
  type OAuth1SignatureMethod,
} from './signing/OAuth1SignatureMethod.js';
export {
  type OAuth1Secrets,
  oauth1AuthorizationHeader,
} from './signing/oauth1AuthorizationHeader.js';
export { percentEncode } from './signing/percentEncode.js';
export { signatureBaseString } from './signing/signatureBaseString.js';
