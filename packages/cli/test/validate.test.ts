import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/runCli.js';

const ACME = new URL('../../../examples/connectors/acme.yaml', import.meta.url).pathname;

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await runCli(argv, { output: { stdout, stderr } });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'splice-validate-')), name);
  writeFileSync(path, text);
  return path;
}

describe('splice validate', () => {
  it('accepts the Acme connector with exit code 0 and a short summary', async () => {
    const { code, stdout, stderr } = await run('validate', ACME);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('is valid: Acme CRM (acme) v1');
    expect(stdout).toContain('acme-oauth (oauth2-authorization-code), acme-token (token)');
    expect(stdout).toContain('enabled per method: acme-oauth 4, acme-token 3');
  });

  it('reports every problem with its path and exits 1', async () => {
    const path = file(
      'bad.yaml',
      [
        'id: acme',
        'name: Acme',
        'version: "1"',
        'colour: blue',
        'variables: [{ key: access_token }]',
        'authMethods:',
        '  - { id: oauth, name: OAuth, type: oauth2-authorization-code, urls: { authorise: "https://a.example/auth" } }',
        'endpoints:',
        '  - { id: e1, name: E1, method: FETCH, url: "https://api.example/x", authMethods: [nope] }',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await run('validate', path);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/is invalid, \d+ problems:/);
    for (const fragment of [
      'colour: is not a known field',
      'variables[0].key:',
      'authMethods[0].urls.token:',
      'endpoints[0].method:',
      'endpoints[0].authMethods[0]:',
    ]) {
      expect(stderr).toContain(fragment);
    }
  });

  it('reports a YAML syntax error and exits 1', async () => {
    const { code, stderr } = await run('validate', file('broken.yaml', 'id: [unclosed\n'));
    expect(code).toBe(1);
    expect(stderr).toContain('is not valid YAML');
  });

  it('checks only the schema of a method type it has no strategy for, with a warning', async () => {
    const path = file(
      'custom.json',
      JSON.stringify({
        id: 'crm',
        name: 'CRM',
        version: '1',
        authMethods: [{ id: 'basic', name: 'Basic', type: 'basic-auth' }],
        endpoints: [
          {
            id: 'e',
            name: 'E',
            method: 'GET',
            url: 'https://crm.example/e',
            authMethods: ['basic'],
          },
        ],
      }),
    );
    const { code, stdout, stderr } = await run('validate', path);
    expect(code).toBe(0);
    expect(stderr).toContain('authMethods[0].type: "basic-auth"');
    expect(stderr).toContain('only its schema was checked');
    expect(stdout).toContain('is valid: CRM (crm) v1');
  });

  it('fails with exit 1 on a missing file', async () => {
    const { code, stderr } = await run('validate', '/nonexistent/acme.yaml');
    expect(code).toBe(1);
    expect(stderr).toContain('no such file');
  });

  it('answers a usage error with a non-zero exit code and the help', async () => {
    const { code, stderr } = await run('validate');
    expect(code).not.toBe(0);
    expect(stderr).toContain("missing required argument 'file'");
  });
});
