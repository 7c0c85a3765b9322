import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url).pathname;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Runs the README's demo line (`pnpm demo`) exactly as a user would, with its state in a
// temporary SPLICE_HOME.
function pnpmDemo(home: string, ...args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn('pnpm', ['demo', ...args], {
      cwd: ROOT,
      env: { ...process.env, SPLICE_HOME: home, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The row of the instance table for `method`: [instance, method, how, endpoints]. */
function instanceRow(stdout: string, method: string): string[] {
  const row = stdout
    .split('\n')
    .map((line) => line.split('│').map((cell) => cell.trim()))
    .find((cells) => cells[2] === method && cells.length === 6);
  expect(row, `summary row for ${method}`).toBeDefined();
  return row!.slice(1, 5);
}

describe('pnpm demo', () => {
  it('adds the instances, lists gated endpoints, refreshes, then reuses everything on a second run', async () => {
    const home = mkdtempSync(join(tmpdir(), 'splice-demo-'));

    const first = await pnpmDemo(home);
    expect(first.stderr).not.toContain('The demo failed');
    expect(first.code).toBe(0);
    const [, , oauthHow, oauthEndpoints] = instanceRow(first.stdout, 'acme-oauth');
    const [, , tokenHow, tokenEndpoints] = instanceRow(first.stdout, 'acme-token');
    expect(oauthHow).toBe('added: consent + code exchange');
    expect(tokenHow).toBe('added: token checked');
    // Gating: orders only for the token method, customers for OAuth 2 (either grant), products
    // for the CRM's methods, invoices only for the two OAuth 1 methods.
    expect(oauthEndpoints).toBe('list-products, get-product, list-customers, create-customer');
    expect(tokenEndpoints).toBe('list-products, get-product, list-orders');
    const others = {
      'acme-basic': ['added: user and password checked', 'list-products, get-product'],
      'acme-service': ['added: client credentials token', 'list-products, list-customers'],
      'acme-ledger-oauth1': ['added: OAuth 1 authorization', 'list-invoices'],
      'acme-ledger-tba': ['added: pre-issued token', 'list-invoices'],
    };
    for (const [method, [how, endpoints]] of Object.entries(others)) {
      expect(instanceRow(first.stdout, method).slice(2), method).toEqual([how, endpoints]);
    }
    // Every instance calls what its method enables, and is refused one it does not.
    for (const refused of [
      /acme-basic\s+list-customers\s+→ ENDPOINT_NOT_ENABLED/,
      /acme-service\s+create-customer\s+→ ENDPOINT_NOT_ENABLED/,
      /acme-ledger-tba\s+list-products\s+→ ENDPOINT_NOT_ENABLED/,
      /list-orders\s+→ ENDPOINT_NOT_ENABLED/,
    ])
      expect(first.stdout).toMatch(refused);
    for (const ok of [
      /acme-basic\s+list-products\s+→ 200/,
      /acme-service\s+list-customers\s+→ 200/,
      /acme-ledger-oauth1\s+list-invoices\s+→ 200/,
      /acme-ledger-tba\s+list-invoices\s+→ 200/,
    ])
      expect(first.stdout).toMatch(ok);
    expect(first.stdout).toContain(
      'Refresh: 2 access token(s) expired server-side → 2 request(s) refused → 1 refresh + 1 new client-credentials token → replay succeeded',
    );
    expect(first.stdout).toContain('Consents this run: 1 OAuth 2, 1 OAuth 1');
    expect(statSync(join(home, 'splice.db')).isFile()).toBe(true);
    expect(statSync(join(home, 'demo.json')).mode & 0o077).toBe(0);

    const second = await pnpmDemo(home);
    expect(second.code).toBe(0);
    expect(instanceRow(second.stdout, 'acme-oauth')[2]).toBe('reused from the store');
    expect(instanceRow(second.stdout, 'acme-token')[2]).toBe('reused from the store');
    for (const method of ['acme-basic', 'acme-service', 'acme-ledger-tba'])
      expect(instanceRow(second.stdout, method)[2], method).toBe('reused from the store');
    // Acme Ledger (the testkit's OAuth 1 provider) forgets the tokens it issued when it stops.
    expect(instanceRow(second.stdout, 'acme-ledger-oauth1')[2]).toBe('reused, consent renewed');
    expect(second.stdout).toContain('Consents this run: 0 OAuth 2');
    expect(second.stdout).toContain('replay succeeded');
    expect(second.stdout).toContain('this run reused the stored grant');

    // The same instance ids both times; and no secret of the state file ever reached the output.
    const state = JSON.parse(readFileSync(join(home, 'demo.json'), 'utf8')) as {
      oauthInstanceId: string;
      apiToken: string;
      storeKey: string;
      authorizationServer: { clientSecret: string };
      basic: { password: string };
      ledger: { consumer: { secret: string }; issuedToken: { secret: string } };
    };
    expect(first.stdout).toContain(state.oauthInstanceId);
    expect(second.stdout).toContain(state.oauthInstanceId);
    for (const secret of [
      state.apiToken,
      state.storeKey,
      state.authorizationServer.clientSecret,
      state.basic.password,
      state.ledger.consumer.secret,
      state.ledger.issuedToken.secret,
    ]) {
      expect(first.stdout + first.stderr + second.stdout + second.stderr).not.toContain(secret);
    }
  }, 300_000);
});

describe('pnpm demo --ui', () => {
  it('serves the dashboard until Ctrl-C, then closes everything and exits 0', async () => {
    const home = mkdtempSync(join(tmpdir(), 'splice-demo-ui-'));
    // The root `demo` script's own command line, started in its own process group so that the
    // test's Ctrl-C reaches the whole group, as a terminal's does.
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: { demo: string };
    };
    // `exec` replaces pnpm's shell with node (see demoModes.int.test.ts for the run through pnpm).
    const [command, ...args] = scripts.demo.replace(/^exec /, '').split(' ');
    const executable =
      command === 'node' ? process.execPath : join(ROOT, 'node_modules/.bin', command!);
    const child = spawn(executable, [...args, '--ui'], {
      cwd: ROOT,
      env: { ...process.env, SPLICE_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /Dashboard on (\S+)\. Press Ctrl-C to stop\./.exec(stdout);
        if (match !== null) resolve(match[1]!);
      });
      child.once('close', () => reject(new Error(`demo ended early:\n${stdout}\n${stderr}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Splice');
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    process.kill(-child.pid!, 'SIGINT');
    expect(await closed).toBe(0);
    expect(stderr).toContain('Stopping: closing the servers and the store');
    await expect(fetch(url)).rejects.toThrow();
  }, 300_000);
});
