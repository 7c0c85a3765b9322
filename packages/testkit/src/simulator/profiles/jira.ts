import type { ProviderProfile } from './ProviderProfile.js';

/**
 * Atlassian's OAuth 2.0 (3LO) for Jira Cloud
 * (https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/):
 * - JSON tokens, `expires_in: 3600`, `scope`; a refresh token only with `offline_access`, and
 *   **rotating** refresh tokens: each refresh issues a new one and retires the old;
 * - `GET https://api.atlassian.com/oauth/token/accessible-resources` lists the sites the grant
 *   reaches (`id` = cloud id, `url`, `name`, `scopes`, `avatarUrl`); calls go to
 *   `https://api.atlassian.com/ex/jira/{cloudid}/…`;
 * - a dead refresh token is `invalid_grant` ("Unknown or invalid refresh token.");
 * - the API refuses an expired token with 401 `{"code":401,"message":"Unauthorized"}`;
 * - client credentials in the body; no PKCE, no `iss`; scopes space-separated.
 */
export const jira: ProviderProfile = {
  name: 'jira',
  documentationUrl: 'https://developer.atlassian.com/cloud/jira/platform/oauth-2-3lo-apps/',
  quirks: () => ({
    tokenFormat: 'json',
    accessTokenTtlSeconds: 3600,
    rotateRefreshTokens: true,
    clientAuth: 'client_secret_post',
    pkce: 'off',
    sendIssuer: false,
    invalidGrantError: 'invalid_grant',
    tokenExtras: { scope: 'read:jira-work write:jira-work read:jira-user offline_access' },
    discovery: [
      {
        id: '1324a887-45db-1bf4-1e99-ef0ff456d421',
        url: 'https://your-domain.atlassian.net',
        name: 'your-domain',
        avatarUrl: 'https://site-admin-avatar-cdn.prod.public.atl-paas.net/avatars/240/flag.png',
      },
    ],
    expiredTokenResponse: 401,
    expiredTokenBody: { code: 401, message: 'Unauthorized' },
  }),
  apiPaths: ['/ex/jira/'],
  replaceUrls: (sim) => ({
    'https://auth.atlassian.com/authorize': sim.authorizationUrl,
    'https://auth.atlassian.com/oauth/token': sim.tokenUrl,
    'https://api.atlassian.com/oauth/token/accessible-resources': `${sim.issuer}/oauth/token/accessible-resources`,
    'https://api.atlassian.com': sim.issuer,
  }),
};
