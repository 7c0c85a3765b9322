import type { ProviderProfile } from './ProviderProfile.js';

/**
 * The Microsoft identity platform (Entra ID) v2.0 authorization code flow, as Microsoft Graph
 * meets it (https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow,
 * https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens,
 * https://learn.microsoft.com/en-us/graph/errors):
 * - JSON tokens with `expires_in: 3599`, `ext_expires_in`, `scope`, `token_type: "Bearer"`;
 * - a refresh returns a new refresh token, to be used instead of the old one (rotation);
 * - a dead grant is `invalid_grant` with an `AADSTS…` description (70000, 700082);
 * - PKCE S256 supported; client credentials in the body; no `iss` on the callback;
 * - Graph refuses an expired token with 401
 *   `{"error":{"code":"InvalidAuthenticationToken","message":"Access token has expired…"}}`.
 */
export const microsoftGraph: ProviderProfile = {
  name: 'microsoft-graph',
  documentationUrl:
    'https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow',
  quirks: () => ({
    tokenFormat: 'json',
    accessTokenTtlSeconds: 3599,
    rotateRefreshTokens: true,
    clientAuth: 'client_secret_post',
    pkce: 'S256',
    sendIssuer: false,
    invalidGrantError: 'invalid_grant',
    tokenExtras: {
      ext_expires_in: 3599,
      scope: 'User.Read Mail.ReadWrite Mail.Send Calendars.ReadWrite',
    },
    expiredTokenResponse: 401,
    expiredTokenBody: {
      error: {
        code: 'InvalidAuthenticationToken',
        message: 'Access token has expired or is not yet valid.',
      },
    },
  }),
  apiPaths: ['/v1.0/'],
  // The first method (tenant-specific) needs the directory: a tenant's primary domain does.
  sampleVariables: { tenant: 'contoso.onmicrosoft.com' },
  // The simulator has one authorisation server: the tenant rides along as a query parameter.
  replaceUrls: (sim) => ({
    'https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/authorize': `${sim.authorizationUrl}?tenant={{tenant}}`,
    'https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token': `${sim.tokenUrl}?tenant={{tenant}}`,
    'https://login.microsoftonline.com/common/oauth2/v2.0/authorize': `${sim.authorizationUrl}?tenant=common`,
    'https://login.microsoftonline.com/common/oauth2/v2.0/token': `${sim.tokenUrl}?tenant=common`,
    'https://graph.microsoft.com': sim.issuer,
  }),
};
