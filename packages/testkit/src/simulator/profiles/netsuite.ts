import type { ProviderProfile } from './ProviderProfile.js';

// The definition's hosts: the account ID, lower case with "_" as "-" (1234567_SB1 → 1234567-sb1).
const ACCOUNT_HOST = '{{account_id | lower | replace:"_":"-"}}';

/**
 * NetSuite's OAuth 2.0 authorization code grant, as a **sandbox** account (`1234567_SB1`) meets it
 * (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_158074210415.html and its
 * steps: section_158081944642.html, section_158081952044.html, section_158082518856.html,
 * section_160855594402.html):
 * - the redirect carries `company` (the account ID as NetSuite writes it), `role` and `entity`
 *   (the role and user the consent was given for) besides `state` and `code`;
 * - the token endpoint takes the client credentials as HTTP Basic only; PKCE with S256 (`plain`
 *   is not supported); scopes space-separated (`rest_webservices restlets suite_analytics`);
 * - JSON tokens: `expires_in` always 3600 (sent here as the numeric string `"3600"`, the less
 *   forgiving of the two forms a client meets) and `token_type` always `bearer` (lower case);
 * - a confidential client's refresh answers carry no refresh token (only public clients get a
 *   new, one-time one), and the refresh token dies 7 days after consent whatever the refreshes
 *   (`refreshTokenLifetimeSeconds`); then `invalid_grant`;
 * - REST web services refuse an expired token with 401 and an RFC 9457-style body,
 *   `o:errorCode` `INVALID_LOGIN`
 *   (https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_156570709583.html);
 * - no `iss` on the callback.
 */
export const netsuite: ProviderProfile = {
  name: 'netsuite',
  documentationUrl:
    'https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_158074210415.html',
  quirks: () => ({
    tokenFormat: 'json',
    tokenType: 'bearer',
    expiry: 'string',
    accessTokenTtlSeconds: 3600,
    rotateRefreshTokens: false,
    omitRefreshTokenOnRefresh: true,
    refreshTokenLifetimeSeconds: 7 * 24 * 3600,
    clientAuth: 'client_secret_basic',
    pkce: 'S256',
    sendIssuer: false,
    callbackExtras: { company: '1234567_SB1', role: '3', entity: '4622' },
    expiredTokenResponse: 401,
    expiredTokenBody: {
      type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
      title: 'Unauthorized',
      status: 401,
      'o:errorDetails': [
        {
          detail:
            'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.',
          'o:errorCode': 'INVALID_LOGIN',
        },
      ],
    },
    invalidGrantError: 'invalid_grant',
  }),
  apiPaths: ['/services/rest/record/', '/services/rest/query/'],
  // A sandbox account ID: the hosts are built from it.
  sampleVariables: { account_id: '1234567_SB1' },
  replaceUrls: (sim) => ({
    [`https://${ACCOUNT_HOST}.app.netsuite.com/app/login/oauth2/authorize.nl`]:
      sim.authorizationUrl,
    [`https://${ACCOUNT_HOST}.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token`]:
      sim.tokenUrl,
    [`https://${ACCOUNT_HOST}.suitetalk.api.netsuite.com`]: sim.issuer,
  }),
};
