import type { ProviderProfile } from './ProviderProfile.js';

/**
 * Intuit's OAuth 2.0 for QuickBooks Online
 * (https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0,
 * https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/faq):
 * - the callback carries `realmId`, the connected company, which every API path names;
 * - the bearer endpoint takes the client credentials as HTTP Basic only and answers JSON with
 *   `token_type: "bearer"` (lower case), `expires_in: 3600` and `x_refresh_token_expires_in`;
 * - a refresh returns a new refresh token and the client must keep the newest (rotation);
 * - no PKCE and no `iss` in Intuit's documented flow; scopes space-separated;
 * - the API refuses an expired token with 401 and a `fault` body, code 3200
 *   (https://developer.intuit.com/app/developer/qbo/docs/develop/troubleshooting/error-codes);
 * - a dead refresh token is `invalid_grant`.
 */
export const quickbooks: ProviderProfile = {
  name: 'quickbooks',
  documentationUrl:
    'https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0',
  quirks: () => ({
    tokenFormat: 'json',
    tokenType: 'bearer',
    expiry: 'number',
    accessTokenTtlSeconds: 3600,
    rotateRefreshTokens: true,
    clientAuth: 'client_secret_basic',
    pkce: 'off',
    sendIssuer: false,
    callbackExtras: { realmId: '9341453050394156' },
    tokenExtras: { x_refresh_token_expires_in: 8726400 },
    expiredTokenResponse: 401,
    expiredTokenBody: {
      fault: {
        error: [
          {
            message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
            detail: 'Token expired',
            code: '3200',
          },
        ],
        type: 'AUTHENTICATION',
      },
    },
    invalidGrantError: 'invalid_grant',
  }),
  apiPaths: ['/v3/company/'],
  replaceUrls: (sim) => ({
    'https://appcenter.intuit.com/connect/oauth2': sim.authorizationUrl,
    'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer': sim.tokenUrl,
    'https://quickbooks.api.intuit.com': sim.issuer,
  }),
};
