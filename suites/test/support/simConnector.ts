import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderSimulator } from '@splice/testkit';

/**
 * Writes the plainest connector aimed at `simulator` into a new temporary folder and returns its
 * path: connector `sim`, one OAuth 2 authorization-code method `sim-oauth` on the simulator's
 * authorise and token URLs, and endpoint `me` (`GET {apiUrl}/me`) with `endpointVariables` (YAML
 * flow text, `[]` by default).
 */
export function writeSimulatorConnector(
  simulator: ProviderSimulator,
  endpointVariables = '[]',
): string {
  const file = join(mkdtempSync(join(tmpdir(), 'splice-sim-')), 'sim.yaml');
  writeFileSync(
    file,
    [
      'id: sim',
      'name: Simulator',
      'version: "1"',
      'authMethods:',
      '  - id: sim-oauth',
      '    name: Simulator OAuth',
      '    type: oauth2-authorization-code',
      `    urls: { authorise: "${simulator.authorizationUrl}", token: "${simulator.tokenUrl}" }`,
      'endpoints:',
      `  - { id: me, name: Me, method: GET, url: "${simulator.apiUrl}/me", variables: ${endpointVariables}, authMethods: [sim-oauth] }`,
    ].join('\n'),
  );
  return file;
}
