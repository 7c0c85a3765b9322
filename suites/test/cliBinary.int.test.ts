import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startProviderSimulator } from '@splice/testkit';
import { describe, expect, it } from 'vitest';
import { freePort } from './support/acmeProvider.js';
import { writeSimulatorConnector } from './support/simConnector.js';

// The command a user runs: the bundle the integration project's global setup built from the
// current sources, in a process of its own, with secrets from the environment.
const BIN = fileURLToPath(new URL('../../packages/cli/bin/splice.js', import.meta.url));

function splice(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env['PATH'] ?? '', ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
      },
    );
  });
}

describe('bin/splice.js auth test (the real binary)', () => {
  it('runs the whole life of an OAuth 2 instance headlessly against a provider simulator, --json, secrets from the environment', async () => {
    const port = await freePort();
    const simulator = await startProviderSimulator({
      redirectUris: [`http://127.0.0.1:${port}/callback`],
    });
    try {
      const file = writeSimulatorConnector(simulator);
      const run = await splice(
        ['auth', 'test', file, '-m', 'sim-oauth', '--headless', '--port', String(port), '--json'],
        {
          SPLICE_VAR_CLIENT_ID: simulator.clientId,
          SPLICE_VAR_CLIENT_SECRET: simulator.clientSecret,
        },
      );
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as {
        ok: boolean;
        steps: { id: string; status: string }[];
      };
      expect(report.ok).toBe(true);
      expect(report.steps.map((s) => s.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
      // The probe of the authorise URL, then the consent itself; one refresh; three API calls.
      expect(simulator.counts.authorize).toBe(2);
      expect(simulator.counts.authorizationCode).toBe(1);
      expect(simulator.counts.refreshToken).toBe(1);
      expect(simulator.counts.api).toBe(3);
      // No secret in anything the process printed.
      for (const text of [run.stdout, run.stderr]) {
        expect(text).not.toContain(simulator.clientSecret);
      }

      // A usage mistake through the same binary: exit 2, naming the methods there are.
      const usage = await splice(['auth', 'test', file, '-m', 'nope'], {});
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('has no auth method "nope"; it has: sim-oauth');
    } finally {
      await simulator.close();
    }
  });
});
