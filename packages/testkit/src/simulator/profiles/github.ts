import type { ProviderProfile } from './ProviderProfile.js';

/**
 * GitHub's web application flow with expiring user tokens
 * (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps,
 * https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens,
 * https://docs.github.com/en/apps/oauth-apps/maintaining-oauth-apps/troubleshooting-oauth-app-access-token-request-errors):
 * - the token endpoint answers `application/x-www-form-urlencoded` by default, so `expires_in`
 *   (28800: 8 hours) and `refresh_token_expires_in` (15897600: 6 months) arrive as strings, with
 *   `token_type=bearer` and a comma-separated `scope`;
 * - every refresh issues a new refresh token and retires the old one (rotation);
 * - errors come with HTTP **200**: a dead refresh token is `error=bad_refresh_token`;
 * - client credentials in the body; PKCE (S256) accepted; no `iss` on the callback;
 * - the API refuses a bad or expired token with 401 `{"message":"Bad credentials"}`.
 */
export const github: ProviderProfile = {
  name: 'github',
  documentationUrl:
    'https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps',
  quirks: () => ({
    tokenFormat: 'form',
    expiry: 'string',
    accessTokenTtlSeconds: 28800,
    tokenType: 'bearer',
    rotateRefreshTokens: true,
    errorsWithStatus200: true,
    invalidGrantError: 'bad_refresh_token',
    clientAuth: 'client_secret_post',
    pkce: 'any',
    sendIssuer: false,
    tokenExtras: { refresh_token_expires_in: '15897600', scope: 'repo,read:user' },
    expiredTokenResponse: 401,
    expiredTokenBody: {
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    },
  }),
  replaceUrls: (sim) => ({
    'https://github.com/login/oauth/authorize': sim.authorizationUrl,
    'https://github.com/login/oauth/access_token': sim.tokenUrl,
    'https://api.github.com': sim.apiUrl,
  }),
};
