import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/runCli.js';

const ACME = new URL('./fixtures/acme.yaml', import.meta.url).pathname;
const SECRET = 'variable-value-s3cret-9d1';

async function run(
  argv: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await runCli(argv, { output: { stdout, stderr }, env });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

describe('splice auth test variables', () => {
  it('refuses a misspelt --var key as a usage error naming the flag and the key it meant', async () => {
    const oauth = await run([
      'auth',
      'test',
      ACME,
      '-m',
      'acme-oauth',
      '--port',
      '0',
      '--var',
      'account=northwind',
      '--var',
      `clientid=${SECRET}`,
    ]);
    expect(oauth.code).toBe(2);
    expect(oauth.stderr).toContain(
      '--var clientid: auth method "acme-oauth" of acme and its endpoints has no variable "clientid"; did you mean --var client_id=…?',
    );
    expect(oauth.stderr).toMatch(/keys you can set: account, .*client_id, client_secret/);
    expect(oauth.stdout).toBe('');
    const token = await run(['auth', 'test', ACME, '-m', 'acme-token', '--var', `tokn=${SECRET}`]);
    expect(token.code).toBe(2);
    expect(token.stderr).toContain('did you mean --var token=…?');
    for (const text of [oauth.stdout, oauth.stderr, token.stdout, token.stderr]) {
      expect(text).not.toContain(SECRET);
    }
  });

  it('refuses a misspelt --var-file key the same way, naming the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'splice-vars-')), 'secrets.env');
    writeFileSync(file, `account=northwind\nclient_secert=${SECRET}\n`);
    const lines = await run(['auth', 'test', ACME, '-m', 'acme-oauth', '--var-file', file]);
    expect(lines.code).toBe(2);
    expect(lines.stderr).toContain(
      `--var-file ${file}: "client_secert": auth method "acme-oauth" of acme and its endpoints has no variable "client_secert"; did you mean "client_secret"?`,
    );
    writeFileSync(file, JSON.stringify({ account: 'northwind', Token: SECRET }));
    const json = await run(['auth', 'test', ACME, '-m', 'acme-token', '--var-file', file]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain('"Token"');
    expect(json.stderr).toContain('did you mean');
    for (const text of [lines.stderr, json.stderr]) expect(text).not.toContain(SECRET);
  });
});
