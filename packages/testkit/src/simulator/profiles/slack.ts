import type { ProviderProfile } from './ProviderProfile.js';

/**
 * Slack's OAuth v2 with token rotation
 * (https://docs.slack.dev/authentication/installing-with-oauth,
 * https://docs.slack.dev/authentication/using-token-rotation, https://docs.slack.dev/apis/web-api/):
 * - `oauth.v2.access` answers JSON with `ok: true`, `token_type: "bot"`, a comma-separated
 *   `scope`, `bot_user_id` and `app_id`; with rotation on, `expires_in: 43200` (12 hours) and a
 *   refresh token, replaced on every refresh;
 * - every error is HTTP **200**: a dead refresh token is `invalid_refresh_token`, and the Web API
 *   refuses an expired token with `{"ok": false, "error": "token_expired"}`;
 * - scopes comma-separated; client credentials in the body or HTTP Basic; no PKCE, no `iss`.
 */
export const slack: ProviderProfile = {
  name: 'slack',
  documentationUrl: 'https://docs.slack.dev/authentication/installing-with-oauth',
  quirks: () => ({
    tokenFormat: 'json',
    tokenType: 'bot',
    accessTokenTtlSeconds: 43200,
    rotateRefreshTokens: true,
    errorsWithStatus200: true,
    invalidGrantError: 'invalid_refresh_token',
    expiredTokenResponse: '200-error',
    expiredTokenBody: { ok: false, error: 'token_expired' },
    clientAuth: 'any',
    pkce: 'off',
    sendIssuer: false,
    tokenExtras: {
      scope: 'channels:read,chat:write,users:read,reactions:write',
      bot_user_id: 'U0KRQLJ9H',
      app_id: 'A0KRD7HC3',
    },
  }),
  replaceUrls: (sim) => ({
    'https://slack.com/oauth/v2/authorize': sim.authorizationUrl,
    'https://slack.com/api/oauth.v2.access': sim.tokenUrl,
    'https://slack.com/api': sim.apiUrl,
  }),
};
