import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/splice.js', import.meta.url));
const MAIN = new URL('../dist/main.js', import.meta.url);
const ACME = fileURLToPath(new URL('./fixtures/acme.yaml', import.meta.url));
const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

// Runs the real command as a user's shell would (the bundle the global setup built).
function splice(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
    });
  });
}

describe('bin/splice.js', () => {
  it('answers --version and -V with the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const { code, stdout, stderr } = await splice(flag);
      expect(code).toBe(0);
      expect(stdout).toBe(`${version}\n`);
      expect(stderr).toBe('');
    }
  });

  it('answers --version from a file that statically imports only Node built-ins', () => {
    const main = readFileSync(MAIN, 'utf8');
    const staticImports = [...main.matchAll(/^import\s[^;]*?from\s+["']([^"']+)["']/gm)].map(
      (match) => match[1],
    );
    expect(staticImports.length).toBeGreaterThan(0);
    for (const specifier of staticImports) expect(specifier).toMatch(/^node:/);
  });

  it('lists validate and auth in --help, and no demo', async () => {
    const { code, stdout } = await splice('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('validate [options] <file...>');
    expect(stdout).toContain('auth');
    expect(stdout).not.toContain('demo');
    const demo = await splice('demo');
    expect(demo.code).not.toBe(0);
    expect(demo.stderr).toContain("unknown command 'demo'");
  });

  it('validates a connector file with the bundled strategies', async () => {
    const { code, stdout, stderr } = await splice('validate', ACME);
    expect(code).toBe(0);
    expect(stdout).toContain('is valid: Acme CRM (acme) v1');
    expect(stderr).toBe('');
    const missing = await splice('validate', '/nonexistent/acme.yaml');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
  });
});
