import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

  it('shows examples in the help of every command, and the exit codes', async () => {
    const root = await splice('--help');
    expect(root.stdout).toContain('Exit codes:');
    expect(root.stdout).toMatch(/2 {2}usage error/);
    for (const command of [
      ['validate'],
      ['auth', 'test'],
      ['call'],
      ['instances', 'list'],
      ['instances', 'show'],
      ['instances', 'rename'],
      ['instances', 'delete'],
      ['instances', 'reauthorize'],
      ['simulate'],
    ]) {
      const { code, stdout } = await splice(...command, '--help');
      expect(code).toBe(0);
      expect(stdout).toContain('Examples:');
      expect(stdout).toContain(`$ splice ${command.join(' ')}`);
    }
  });

  it('exits 2 on usage errors and 1 on a failed check', async () => {
    expect((await splice('validate')).code).toBe(2);
    expect((await splice('call', 'only-one-argument')).code).toBe(2);
    expect((await splice('auth', 'test', ACME)).code).toBe(2);
    expect((await splice('validate', '/nonexistent.yaml')).code).toBe(1);
  });

  it('loads for --help and validate only what they need (no store, no runtime for help)', () => {
    // The files a dynamic import of `chunk` loads, following static imports.
    const graph = (file: string, seen = new Set<string>()): Set<string> => {
      if (seen.has(file)) return seen;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^import\s[^;]*?from\s*["'](\.[^"']+)["']/gm)) {
        graph(join(dirname(file), match[1]!), seen);
      }
      return seen;
    };
    const main = fileURLToPath(MAIN);
    const dynamicTarget = (file: string, name: string): string => {
      const match = new RegExp(`import\\(["'](\\./[^"']*${name}[^"']*)["']\\)`).exec(
        readFileSync(file, 'utf8'),
      );
      expect(match, `${name} is imported lazily`).not.toBeNull();
      return join(dirname(file), match![1]!);
    };
    const text = (files: Set<string>): string =>
      [...files].map((f) => readFileSync(f, 'utf8')).join('\n');
    const runCli = dynamicTarget(main, 'runCli');
    const help = text(graph(runCli));
    expect(help).toContain('commander');
    for (const absent of ['better-sqlite3', 'createRuntime', 'undici', 'zod']) {
      expect(help).not.toContain(absent);
    }
    const validate = text(graph(dynamicTarget(runCli, 'validateCommand')));
    expect(validate).toContain('parseConnectorText');
    // The SQLite store (by its own option name) and the callback page belong to other commands.
    for (const absent of ['better-sqlite3', 'busyTimeoutMs', 'Authorization worked']) {
      expect(validate).not.toContain(absent);
    }
  });
});
