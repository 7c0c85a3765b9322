export { readPath } from '@splice/core';
export {
  type OAuth2AuthorizationCodeOptions,
  type ResolvedOptions,
  resolveOptions,
} from './OAuth2AuthorizationCodeOptions.js';
export { OAUTH2_AUTHORIZATION_CODE, oauth2AuthorizationCode } from './oauth2AuthorizationCode.js';
export type { PkceMethod, TokenEndpointAuthMethod } from './settings/OAuthSettings.js';
export { parseTokenBody } from './token/parseTokenBody.js';
export { readTokenExpiry, type TokenExpiry } from './token/readTokenExpiry.js';
export { OAUTH2_DEFAULT_VARIABLES } from './variables/defaultVariables.js';
