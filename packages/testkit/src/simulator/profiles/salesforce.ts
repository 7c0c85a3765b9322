import type { ProviderProfile } from './ProviderProfile.js';

/**
 * Salesforce's OAuth 2.0 web server flow
 * (https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm,
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_refresh_token_flow.htm):
 * - the token response is JSON with `instance_url` (the org's My Domain host, the API origin),
 *   `id`, `issued_at` (epoch milliseconds) and `signature`, and **no `expires_in`**: the session
 *   timeout is an org setting, so an expired token is found out from the API's 401;
 * - a refresh answers a new access token and no refresh token: the refresh token is not rotated
 *   (rotation is an opt-in of the connected app, left out here);
 * - client credentials in the body; PKCE (S256) required by new connected apps; no `iss` on the
 *   callback; scopes space-separated;
 * - the REST API refuses an expired session with 401 and
 *   `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`
 *   (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm);
 * - a revoked or expired refresh token is `invalid_grant` / `expired access/refresh token`.
 */
export const salesforce: ProviderProfile = {
  name: 'salesforce',
  documentationUrl:
    'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm',
  quirks: (issuer) => ({
    tokenFormat: 'json',
    expiry: 'missing',
    rotateRefreshTokens: false,
    omitRefreshTokenOnRefresh: true,
    clientAuth: 'client_secret_post',
    pkce: 'S256',
    sendIssuer: false,
    expiredTokenResponse: 401,
    expiredTokenBody: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
    invalidGrantError: 'invalid_grant',
    tokenExtras: {
      instance_url: issuer,
      id: `${issuer}/id/00D5g000004WxyzEAC/0055g00000AbCdEAAV`,
      issued_at: '1708058728442',
      signature: 'HfBA4mJ3SOUcg8ndBMnw4GuvDY1M+oWUQ8PU1l0HWbc=',
      scope: 'api refresh_token',
    },
  }),
  apiPaths: ['/services/data/'],
  replaceUrls: (sim) => ({
    'https://login.salesforce.com/services/oauth2/authorize': sim.authorizationUrl,
    'https://login.salesforce.com/services/oauth2/token': sim.tokenUrl,
    'https://*.my.salesforce.com': sim.issuer,
  }),
};
