import type { ProviderProfile } from './ProviderProfile.js';

/**
 * HubSpot's OAuth 2.0 for apps, with the date-versioned (2026-03) token endpoints
 * (https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/oauth/working-with-oauth,
 * https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/refresh-oauth-token,
 * https://developers.hubspot.com/docs/api-reference/2026-03/authentication/oauth-tokens/token-introspect):
 * - the client credentials go in the form body; scopes are space-separated; no `iss` on the
 *   callback; the token endpoint takes a `code_verifier`, so PKCE is accepted, not required;
 * - JSON token answers with `token_type: "bearer"` (lower case), `expires_in: 1800` (30 minutes,
 *   https://developers.hubspot.com/changelog/upcoming-expiration-of-oauth-access-tokens-is-changing),
 *   `hub_id`, `user_id`, `token_use` and a `scopes` **list**
 *   (https://developers.hubspot.com/changelog/additional-details-returned-when-generating-oauth-access-tokens);
 * - a refresh answers the same refresh token again: refresh tokens are not rotated;
 * - `POST /oauth/2026-03/token/introspect` (client credentials and the token in a form body)
 *   tells which account the token belongs to: `hub_id`, `hub_domain`, `app_id`, `user_id`,
 *   `scopes`, `is_private_distribution`;
 * - a dead refresh token is HTTP 400 with the RFC 6749 `error` next to HubSpot's own members,
 *   `{"error":"invalid_grant","error_description":…,"status":"BAD_REFRESH_TOKEN","message":…,
 *   "correlationId":…}`
 *   (https://developers.hubspot.com/changelog/new-oauth-v3-api-endpoints-and-standardized-error-responses);
 * - the CRM API refuses an expired token with 401 and
 *   `{"status":"error","message":"The OAuth token used to make this call expired …",
 *   "category":"EXPIRED_AUTHENTICATION",…}` (https://developers.hubspot.com/docs/faq/api-error-responses).
 */
export const hubspot: ProviderProfile = {
  name: 'hubspot',
  documentationUrl:
    'https://developers.hubspot.com/docs/apps/developer-platform/build-apps/authentication/oauth/working-with-oauth',
  quirks: () => ({
    tokenFormat: 'json',
    tokenType: 'bearer',
    accessTokenTtlSeconds: 1800,
    rotateRefreshTokens: false,
    omitRefreshTokenOnRefresh: false,
    clientAuth: 'client_secret_post',
    pkce: 'any',
    sendIssuer: false,
    tokenExtras: {
      hub_id: 62515,
      user_id: 123456,
      token_use: 'access_token',
      scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'],
    },
    introspection: {
      token_use: 'access_token',
      hub_id: 62515,
      hub_domain: 'demo-62515.hubspot.com',
      user_id: 123456,
      app_id: 456789,
      scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'],
      is_private_distribution: false,
      token_type: 'bearer',
    },
    invalidGrantResponse: {
      status: 400,
      body: {
        error: 'invalid_grant',
        error_description: 'refresh token is invalid, expired or revoked',
        status: 'BAD_REFRESH_TOKEN',
        message: 'refresh token is invalid, expired or revoked',
        correlationId: '6a1c5a86-3f3b-4f52-9a55-2b8d3e9b5f01',
      },
    },
    expiredTokenResponse: 401,
    expiredTokenBody: {
      status: 'error',
      message: 'The OAuth token used to make this call expired 1 second(s) ago.',
      correlationId: 'c5b7e2b0-6a9f-4a55-8a8e-3f1b2a9d7c10',
      category: 'EXPIRED_AUTHENTICATION',
    },
  }),
  apiPaths: ['/crm/v3/'],
  replaceUrls: (sim) => ({
    'https://app.hubspot.com/oauth/authorize': sim.authorizationUrl,
    // The longer prefix first: the introspection URL begins with the token URL.
    'https://api.hubapi.com/oauth/2026-03/token/introspect': sim.introspectionUrl,
    'https://api.hubapi.com/oauth/2026-03/token': sim.tokenUrl,
    'https://api.hubapi.com': sim.issuer,
  }),
};
