import type { ProviderProfile } from './ProviderProfile.js';

/**
 * Google's OAuth 2.0 for web server applications, as the Drive API meets it
 * (https://developers.google.com/identity/protocols/oauth2/web-server,
 * https://developers.google.com/identity/protocols/oauth2/resources/best-practices):
 * - JSON tokens with `expires_in: 3599`, `scope`, `token_type: "Bearer"`; a refresh token only
 *   with `access_type=offline` (and again only with `prompt=consent`);
 * - a refresh answers an access token and no refresh token (not rotated);
 * - PKCE with S256; client credentials in the body; `iss` on the callback
 *   (`https://accounts.google.com`, RFC 9207);
 * - a revoked or expired grant is `invalid_grant` ("Token has been expired or revoked.");
 * - the API refuses an expired token with 401, `WWW-Authenticate: Bearer`, and
 *   `{"error":{"code":401,"status":"UNAUTHENTICATED",…}}`.
 */
export const googleDrive: ProviderProfile = {
  name: 'google-drive',
  documentationUrl: 'https://developers.google.com/identity/protocols/oauth2/web-server',
  quirks: () => ({
    tokenFormat: 'json',
    accessTokenTtlSeconds: 3599,
    rotateRefreshTokens: false,
    omitRefreshTokenOnRefresh: true,
    clientAuth: 'client_secret_post',
    pkce: 'S256',
    sendIssuer: true,
    invalidGrantError: 'invalid_grant',
    tokenExtras: { scope: 'https://www.googleapis.com/auth/drive.file' },
    expiredTokenResponse: 401,
    expiredTokenBody: {
      error: {
        code: 401,
        message: 'Request had invalid authentication credentials.',
        status: 'UNAUTHENTICATED',
      },
    },
  }),
  apiPaths: ['/drive/v3/'],
  replaceUrls: (sim) => ({
    'https://accounts.google.com/o/oauth2/v2/auth': sim.authorizationUrl,
    'https://oauth2.googleapis.com/token': sim.tokenUrl,
    'https://www.googleapis.com': sim.issuer,
  }),
};
