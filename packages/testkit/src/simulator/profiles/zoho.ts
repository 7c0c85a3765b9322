import type { ProviderProfile } from './ProviderProfile.js';

/**
 * Zoho's OAuth 2.0, as a user of the **EU** data centre meets it
 * (https://www.zoho.com/accounts/protocol/oauth/multi-dc/client-authorization.html,
 * https://www.zoho.com/crm/developer/docs/api/v7/access-refresh.html,
 * https://www.zoho.com/crm/developer/docs/api/v7/refresh.html):
 * - the callback carries `location=eu` and `accounts-server` (the EU accounts server, where the
 *   code and every refresh go), and the token answer `api_domain` (the EU API host);
 * - JSON tokens, `expires_in: 3600`; a refresh answers an access token and no refresh token (the
 *   refresh token is not rotated);
 * - a refused code or refresh token is HTTP **200** `{"error":"invalid_code"}`;
 * - the CRM API takes `Authorization: Zoho-oauthtoken …` and refuses an expired token with 401
 *   `{"code":"INVALID_TOKEN", …}`;
 * - scopes comma-separated; client credentials in the body; no PKCE, no `iss`.
 */
export const zoho: ProviderProfile = {
  name: 'zoho',
  documentationUrl:
    'https://www.zoho.com/accounts/protocol/oauth/multi-dc/client-authorization.html',
  quirks: (issuer) => ({
    tokenFormat: 'json',
    accessTokenTtlSeconds: 3600,
    rotateRefreshTokens: false,
    omitRefreshTokenOnRefresh: true,
    errorsWithStatus200: true,
    invalidGrantError: 'invalid_code',
    clientAuth: 'client_secret_post',
    pkce: 'off',
    sendIssuer: false,
    apiAuthScheme: 'Zoho-oauthtoken',
    callbackExtras: { location: 'eu', 'accounts-server': issuer },
    tokenExtras: { api_domain: issuer },
    expiredTokenResponse: 401,
    expiredTokenBody: {
      code: 'INVALID_TOKEN',
      details: {},
      message: 'invalid oauth token',
      status: 'error',
    },
  }),
  apiPaths: ['/crm/v7/'],
  replaceUrls: (sim) => ({
    'https://accounts.zoho.com/oauth/v2/auth': sim.authorizationUrl,
    '{{accounts_server}}/oauth/v2/token': '{{accounts_server}}/token',
    'https://accounts.zoho.eu': sim.issuer,
    'https://www.zohoapis.eu': sim.issuer,
  }),
};
