import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSplice } from './support/runSplice.js';

const ACME = new URL('./fixtures/acme.yaml', import.meta.url).pathname;
const SECRET = 'variable-value-s3cret-9d1';

const run = (argv: readonly string[], env: Record<string, string> = {}) => runSplice(argv, env);

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
    // The OAuth 2 protocol variables (grant_type, response_type, ...) come after the user's,
    // shortened to a few and a count, as the runtime's own refusal lists them.
    const listed = /keys you can set: (.*)/.exec(oauth.stderr)?.[1] ?? '';
    expect(listed).toMatch(/; advanced: .* and \d+ more$/);
    expect(listed.indexOf('client_secret')).toBeLessThan(listed.indexOf('advanced:'));
    expect(listed).not.toContain('response_type');
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

  it('tells a missing required value as a usage error: which key and how to give it', async () => {
    const token = await run(['auth', 'test', ACME, '-m', 'acme-token', '--var', 'account=north']);
    expect(token.stderr).toBe(
      '✖ token has no value: auth method "acme-token" of acme needs it. Give it with --var token=…, SPLICE_VAR_TOKEN=… in the environment, or a --var-file line token=…\n',
    );
    expect(token.code).toBe(2);
    expect(token.stdout).toBe('');
    // An empty value is none; the secret given in the environment is never shown.
    const oauth = await run(['auth', 'test', ACME, '-m', 'acme-oauth', '--var', 'client_id='], {
      SPLICE_VAR_CLIENT_SECRET: SECRET,
    });
    expect(oauth.stderr).toContain(
      '✖ account, client_id have no value: auth method "acme-oauth" of acme needs them. Give them with --var account=… --var client_id=…, their environment variables (SPLICE_VAR_ACCOUNT, SPLICE_VAR_CLIENT_ID), or --var-file lines key=…',
    );
    expect(oauth.code).toBe(2);
    expect(oauth.stdout + oauth.stderr).not.toContain(SECRET);
    expect(oauth.stderr).not.toMatch(
      /VARIABLE_MISSING|pass it as variables|save it on the instance/,
    );
  });

  it("tells a value the strategy's own check finds missing the same way, exit 2", async () => {
    // region is required by no flag, but the OAuth 2 URLs cannot be built without it.
    const file = join(mkdtempSync(join(tmpdir(), 'splice-vars-')), 'region.yaml');
    writeFileSync(
      file,
      [
        'id: reg',
        'name: Reg',
        'version: "1"',
        'variables: [{ key: region }]',
        'authMethods:',
        '  - { id: reg-oauth, name: Reg OAuth, type: oauth2-authorization-code, urls: { authorise: "https://{{region}}.auth.example/auth", token: "https://{{region}}.auth.example/token" } }',
        'endpoints:',
        '  - { id: me, name: Me, method: GET, url: "https://api.example/me", authMethods: [reg-oauth] }',
      ].join('\n'),
    );
    const region = await run(
      ['auth', 'test', file, '-m', 'reg-oauth', '--port', '0', '--var', 'client_id=abc'],
      { SPLICE_VAR_CLIENT_SECRET: SECRET },
    );
    expect(region.stdout).toMatch(
      /✖ consent .*VARIABLE_MISSING: region has no value: auth method "reg-oauth" of reg needs it\. Give it with --var region=…, SPLICE_VAR_REGION=… in the environment, or a --var-file line region=…\n/,
    );
    expect(region.stdout).not.toMatch(/call's variables|set defaults in the definition/);
    expect(region.code).toBe(2);
    expect(region.stdout + region.stderr).not.toContain(SECRET);
  });
});
