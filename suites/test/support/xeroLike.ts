import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderSimulator } from '@splice/testkit';

/** Two Xero organisations as the simulator's `discovery` quirk answers them (`GET /connections`). */
export const TENANTS = [
  { tenantId: 'tenant-uk-70784a63', tenantName: 'Demo Company (UK)' },
  { tenantId: 'tenant-nz-9a1b2c3d', tenantName: 'Demo Company (NZ)' },
] as const;

/**
 * Writes a Xero-like connector aimed at `simulator` into a new temporary folder and returns its
 * path: method `xero` with a `tenant` post-authorization step on the simulator's discovery
 * endpoint (choices `tenantId`/`tenantName`, captured as `tenant_id`), and endpoint `me` sending
 * `xero-tenant-id: {{tenant_id}}`. With `consentCaptures`, the method also captures `realmId` from
 * the callback, and `api_region` and a secret `signing_key` from the token response.
 */
export function writeXeroLikeConnector(
  simulator: ProviderSimulator,
  options: { readonly consentCaptures?: boolean } = {},
): string {
  const file = join(mkdtempSync(join(tmpdir(), 'splice-xero-like-')), 'xero.yaml');
  writeFileSync(
    file,
    [
      'id: xero-like',
      'name: Xero-like',
      'version: "1"',
      'authMethods:',
      '  - id: xero',
      '    name: Xero OAuth',
      '    type: oauth2-authorization-code',
      `    urls: { authorise: "${simulator.authorizationUrl}", token: "${simulator.tokenUrl}" }`,
      ...(options.consentCaptures === true
        ? [
            '    captured:',
            '      - { key: realm_id, from: callback, field: realmId }',
            '      - { key: api_region, from: token, field: api_region }',
            '      - { key: signing_key, from: token, field: signing_key, secret: true }',
          ]
        : []),
      '    postAuthorization:',
      '      - id: tenant',
      `        url: "${simulator.discoveryUrl}"`,
      '        choices: { id: tenantId, label: tenantName }',
      '        captured: [{ key: tenant_id, field: tenantId }]',
      'endpoints:',
      `  - { id: me, name: Me, method: GET, url: "${simulator.apiUrl}/me", authMethods: [xero], request: { headers: { xero-tenant-id: "{{tenant_id}}" } } }`,
    ].join('\n'),
  );
  return file;
}
