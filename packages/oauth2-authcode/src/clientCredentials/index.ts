export { OAUTH2_CLIENT_CREDENTIALS_DEFAULT_VARIABLES } from './clientCredentialsVariables.js';
export {
  OAUTH2_CLIENT_CREDENTIALS,
  type OAuth2ClientCredentialsOptions,
  oauth2ClientCredentials,
} from './oauth2ClientCredentials.js';
export { readTokenParameters } from './tokenParameters.js';
