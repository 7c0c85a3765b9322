import type { ProviderProfile } from './ProviderProfile.js';

/**
 * Xero's OAuth 2.0 standard authorization code flow
 * (https://developer.xero.com/documentation/guides/oauth2/auth-flow/,
 * https://developer.xero.com/documentation/guides/oauth2/tenants/):
 * - the token endpoint takes the client credentials as HTTP Basic and answers JSON with
 *   `expires_in: 1800` (30 minutes), `token_type: "Bearer"`, `scope` and an `id_token` when
 *   `openid` was asked;
 * - every refresh returns a new refresh token and the old one stops working (rotation);
 * - `GET https://api.xero.com/connections` lists the organisations (tenants) the grant reaches:
 *   `id`, `tenantId`, `tenantType`, `tenantName`; API calls name one in `xero-tenant-id`;
 * - no `iss` on the callback; PKCE accepted (S256) but not required of a confidential client;
 * - the API refuses an expired token with 401 and a problem body `Detail: "TokenExpired: …"`;
 * - a dead refresh token is `invalid_grant`.
 */
export const xero: ProviderProfile = {
  name: 'xero',
  documentationUrl: 'https://developer.xero.com/documentation/guides/oauth2/auth-flow/',
  quirks: () => ({
    tokenFormat: 'json',
    accessTokenTtlSeconds: 1800,
    rotateRefreshTokens: true,
    clientAuth: 'client_secret_basic',
    pkce: 'off',
    sendIssuer: false,
    tokenExtras: { scope: 'offline_access accounting.transactions accounting.contacts' },
    discovery: [
      {
        id: 'e1eede29-f875-4a5d-8470-17f6a29a88b1',
        tenantId: '70784a63-d24b-46a9-a4db-0e70a274b056',
        tenantType: 'ORGANISATION',
        tenantName: 'Demo Company (UK)',
      },
      {
        id: '32587c85-a9b3-4306-ac30-b416e8f2c841',
        tenantId: 'e0da6a6c-8f4c-4a2c-9d4e-1d1bd9bb1f3a',
        tenantType: 'ORGANISATION',
        tenantName: 'Demo Company (NZ)',
      },
    ],
    expiredTokenResponse: 401,
    expiredTokenBody: {
      Type: null,
      Title: 'Unauthorized',
      Status: 401,
      Detail: 'TokenExpired: token expired at 11/30/2026 21:00:00',
    },
    invalidGrantError: 'invalid_grant',
  }),
  apiPaths: ['/api.xro/2.0/'],
  // Two organisations are connected: the UK one is chosen.
  sampleChoices: ['70784a63-d24b-46a9-a4db-0e70a274b056'],
  replaceUrls: (sim) => ({
    'https://login.xero.com/identity/connect/authorize': sim.authorizationUrl,
    'https://identity.xero.com/connect/token': sim.tokenUrl,
    'https://api.xero.com/connections': sim.discoveryUrl,
    'https://api.xero.com': sim.issuer,
  }),
};
