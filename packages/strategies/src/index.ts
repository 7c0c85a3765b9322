export { BASIC, basicAuth } from './basic/basicAuth.js';
export { BASIC_DEFAULT_VARIABLES } from './basic/basicVariables.js';
export { encodeBasicCredentials } from './basic/encodeBasicCredentials.js';
export { OAUTH1, oauth1 } from './oauth1/oauth1.js';
export { OAUTH1_PRE_ISSUED, oauth1PreIssued } from './oauth1/oauth1PreIssued.js';
export { OAUTH1_PRE_ISSUED_DEFAULT_VARIABLES } from './oauth1/oauth1PreIssuedVariables.js';
export { OAUTH1_DEFAULT_VARIABLES } from './oauth1/oauth1Variables.js';
export { baseStringUri } from './oauth1/signing/baseStringUri.js';
export { computeSignature } from './oauth1/signing/computeSignature.js';
export { normalizeParameters } from './oauth1/signing/normalizeParameters.js';
export {
  OAUTH1_SIGNATURE_METHODS,
  type OAuth1SignatureMethod,
} from './oauth1/signing/OAuth1SignatureMethod.js';
export {
  type OAuth1Secrets,
  oauth1AuthorizationHeader,
} from './oauth1/signing/oauth1AuthorizationHeader.js';
export { percentEncode } from './oauth1/signing/percentEncode.js';
export { signatureBaseString } from './oauth1/signing/signatureBaseString.js';
export type { StrategyOptions } from './shared/StrategyOptions.js';
export { TOKEN, tokenAuth } from './token/tokenAuth.js';
export { TOKEN_DEFAULT_VARIABLES } from './token/tokenVariables.js';
