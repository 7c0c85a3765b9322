import type { ProviderProfile } from './ProviderProfile.js';

/** The store the simulated merchant installs the app on. */
const SHOP = 'acme-store';

/**
 * Shopify's authorization code grant with expiring offline access tokens, as the store
 * `acme-store.myshopify.com` answers it
 * (https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant,
 * https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/offline-access-tokens,
 * https://shopify.dev/changelog/offline-access-tokens-now-support-expiry-and-refresh,
 * https://shopify.dev/changelog/more-resilient-refreshes-for-expiring-offline-access-tokens):
 * - the callback carries `code`, `state` and Shopify's `shop` (the store's myshopify.com host),
 *   `host` (base64url of the admin URL), `timestamp` and `hmac` (HMAC-SHA256 of the other
 *   parameters with the client secret); no `iss`;
 * - the token answer is JSON with `access_token`, `scope` (comma-separated) and **no
 *   `token_type`**; with `expiring=1`, `expires_in: 3600`, a `refresh_token` and
 *   `refresh_token_expires_in: 7776000` (90 days);
 * - every refresh replaces the refresh token, and the used one stays valid until its replacement
 *   is first used (the August 2026 change: a lost refresh answer can be retried);
 * - a dead refresh token is HTTP 400 `invalid_grant`; client credentials in the body; no PKCE;
 * - the Admin API (`/admin/api/<version>/…`, REST and GraphQL) reads the token from
 *   `X-Shopify-Access-Token` and refuses an expired one with 401
 *   `{"errors":"[API] Invalid API key or access token (unrecognized login or wrong password)"}`.
 *
 * Add instances with the variable `shop: acme-store` (`sampleVariables`): the callback names that
 * store, and the built-in definition refuses a callback naming another one (`CAPTURE_INVALID`,
 * `mismatch`).
 */
export const shopify: ProviderProfile = {
  name: 'shopify',
  documentationUrl:
    'https://shopify.dev/docs/apps/build/authentication-authorization/access-tokens/authorization-code-grant',
  quirks: () => ({
    tokenFormat: 'json',
    tokenType: undefined,
    accessTokenTtlSeconds: 3600,
    rotateRefreshTokens: true,
    retireRefreshTokenOnReplacementUse: true,
    invalidGrantError: 'invalid_grant',
    clientAuth: 'client_secret_post',
    pkce: 'off',
    sendIssuer: false,
    callbackExtras: {
      shop: `${SHOP}.myshopify.com`,
      host: Buffer.from(`admin.shopify.com/store/${SHOP}`).toString('base64url'),
      timestamp: '1764547200',
    },
    callbackHmac: 'hmac',
    tokenExtras: { refresh_token_expires_in: 7776000 },
    apiTokenHeader: 'X-Shopify-Access-Token',
    expiredTokenResponse: 401,
    expiredTokenBody: {
      errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
    },
  }),
  apiPaths: ['/admin/api/'],
  sampleVariables: { shop: SHOP },
  replaceUrls: (sim) => ({
    'https://{{shop}}.myshopify.com/admin/oauth/authorize': sim.authorizationUrl,
    'https://{{shop}}.myshopify.com/admin/oauth/access_token': sim.tokenUrl,
    'https://{{shop}}.myshopify.com': sim.issuer,
  }),
};
