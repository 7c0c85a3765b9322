import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSplice } from './support/runSplice.js';

const ACME = new URL('./fixtures/acme.yaml', import.meta.url).pathname;

const run = (...argv: string[]) => runSplice(argv);

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'splice-validate-')), name);
  writeFileSync(path, text);
  return path;
}

describe('splice validate', () => {
  it('accepts a connector of known method types with exit code 0, a short summary and no warning', async () => {
    const path = file(
      'shop.yaml',
      [
        'id: shop',
        'name: Shop',
        'version: "2"',
        'variables: [{ key: store, required: true }]',
        'authMethods:',
        '  - { id: shop-oauth, name: Shop OAuth, type: oauth2-authorization-code, urls: { authorise: "https://shop.example/auth", token: "https://shop.example/token" } }',
        'endpoints:',
        '  - { id: orders, name: Orders, method: GET, url: "https://api.shop.example/{{store}}/orders", authMethods: [shop-oauth] }',
        '  - { id: items, name: Items, method: GET, url: "https://api.shop.example/{{store}}/items", authMethods: [shop-oauth] }',
      ].join('\n'),
    );
    const { code, stdout, stderr } = await run('validate', path);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('is valid: Shop (shop) v2');
    expect(stdout).toContain('variables:    store');
    expect(stdout).toContain('auth methods: shop-oauth (oauth2-authorization-code)');
    expect(stdout).toContain('endpoints:    2 (enabled per method: shop-oauth 2)');
  });

  it('says per method what an instance needs and where each request part is sent', async () => {
    const path = file(
      'drive.yaml',
      [
        'id: drive',
        'name: Drive',
        'version: 1',
        'authMethods:',
        '  - id: google',
        '    name: Google',
        '    type: oauth2-authorization-code',
        '    variables: [{ key: token_endpoint_auth_method, default: none }]',
        '    urls: { authorise: "https://accounts.example/auth", token: "https://oauth2.example/token" }',
        '    request: { query: { access_type: offline }, headers: { X-Goog-User-Project: p1 } }',
        '    tokenRequest: { body: { audience: "https://api.example" } }',
        'endpoints:',
        '  - { id: files, name: Files, method: GET, url: "https://api.example/files", authMethods: [google] }',
      ].join('\n'),
    );
    const { code, stdout } = await run('validate', path);
    expect(code).toBe(0);
    // A public client (token_endpoint_auth_method none): the strategy's rule needs no secret.
    expect(stdout).toContain('  google:\n    required:   client_id\n');
    expect(stdout).toContain('request.query.access_type → the authorisation URL only');
    expect(stdout).toContain(
      'request.headers.X-Goog-User-Project → auth requests (token requests, credential checks) and every endpoint request',
    );
    expect(stdout).toContain('tokenRequest.body.audience → token requests only');
  });

  it('accepts the Acme connector, whose token method is built in too, without a warning', async () => {
    const { code, stdout, stderr } = await run('validate', ACME);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('is valid: Acme CRM (acme) v1');
    expect(stdout).toContain('acme-oauth (oauth2-authorization-code), acme-token (token)');
    expect(stdout).toContain('enabled per method: acme-oauth 2, acme-token 2');
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

  it('knows every built-in method type: no warning, and each strategy checks its own method', async () => {
    const methods = [
      '  - { id: code, name: Code, type: oauth2-authorization-code, urls: { authorise: "https://a.example/auth", token: "https://a.example/token" } }',
      '  - { id: service, name: Service, type: oauth2-client-credentials, urls: { token: "https://a.example/token" } }',
      '  - { id: key, name: Key, type: token }',
      '  - { id: pair, name: Pair, type: basic }',
      '  - { id: one, name: One, type: oauth1, urls: { request_token: "https://a.example/initiate", authorise: "https://a.example/authorize", access_token: "https://a.example/token" } }',
      '  - { id: tba, name: TBA, type: oauth1-pre-issued }',
    ];
    const ids = ['code', 'service', 'key', 'pair', 'one', 'tba'];
    const connector = (lines: string[]): string =>
      [
        'id: all',
        'name: All',
        'version: "1"',
        'authMethods:',
        ...lines,
        'endpoints:',
        `  - { id: e, name: E, method: GET, url: "https://api.example/e", authMethods: [${ids.join(', ')}] }`,
      ].join('\n');
    const ok = await run('validate', file('all.yaml', connector(methods)));
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(
      'code (oauth2-authorization-code), service (oauth2-client-credentials), key (token), pair (basic), one (oauth1), tba (oauth1-pre-issued)',
    );
    // The client-credentials strategy's own check: it needs urls.token.
    const broken = methods.map((line) =>
      line.replace(', urls: { token: "https://a.example/token" }', ''),
    );
    const bad = await run('validate', file('bad.yaml', connector(broken)));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'authMethods[1].urls.token: is required for oauth2-client-credentials',
    );
  });

  it('reports a YAML syntax error once, as file:line:column, and exits 1', async () => {
    // One unquoted "& " mid-value: the YAML parser sees several errors, the author one mistake.
    const path = file('broken.yaml', 'id: acme\nname: Acme & Co: CRM\nversion: "1"\n');
    const { code, stderr } = await run('validate', path);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^✖ .*broken\.yaml:2:\d+: is not valid YAML at line 2, column \d+: /);
  });

  it('suggests the meant name for misspelt template keys and fields', async () => {
    const path = file(
      'typos.yaml',
      [
        'id: shop',
        'name: Shop',
        'version: "2"',
        'variables: [{ key: account, required: true }]',
        'authMethods:',
        '  - id: shop-oauth',
        '    name: Shop OAuth',
        '    type: oauth2-authorization-code',
        '    clientSecret: abc',
        '    urls: { authorize: "https://shop.example/auth", token: "https://shop.example/token" }',
        'endpoints:',
        '  - id: orders',
        '    name: Orders',
        '    method: GET',
        '    url: "https://api.shop.example/{{acount}}/orders"',
        '    request: { headers: { Authorization: "Bearer {{acces_token}}" } }',
        '    authMethods: [shop-oauth]',
      ].join('\n'),
    );
    const { code, stderr } = await run('validate', path);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'endpoints[0].url: uses "{{acount}}", which is not a variable of the connector, this endpoint or its auth methods: did you mean "{{account}}"?',
    );
    expect(stderr).toContain('endpoints[0].request.headers.Authorization: uses "{{acces_token}}"');
    expect(stderr).toContain('did you mean "{{access_token}}"?');
    expect(stderr).toContain(
      'authMethods[0].clientSecret: is not a field of an auth method; "client_secret" is a variable',
    );
    expect(stderr).toContain(
      'authMethods[0].urls.authorize: is not a URL of oauth2-authorization-code: did you mean "authorise"?',
    );
  });

  it('reports a template mistake in an auth method URL once', async () => {
    const path = file(
      'filters.yaml',
      [
        'id: shop',
        'name: Shop',
        "version: '1'",
        'variables: [{ key: account, label: Account, required: true }]',
        'authMethods:',
        '  - id: shop-oauth',
        '    name: Shop OAuth',
        '    type: oauth2-authorization-code',
        '    urls:',
        '      authorise: "https://{{account | lowr}}.shop.example/auth"',
        '      token: "https://shop.example/token"',
        'endpoints:',
        '  - { id: orders, name: Orders, method: GET, url: "https://api.shop.example/orders", authMethods: [shop-oauth] }',
      ].join('\n'),
    );
    const { code, stderr } = await run('validate', path);
    expect(code).toBe(1);
    expect(stderr).toContain('1 problem');
    expect(stderr.match(/unknown filter "lowr"/g)).toHaveLength(1);
  });

  it('checks several files at once and prints JSON with --json', async () => {
    const bad = file('bad.json', JSON.stringify({ id: 'x' }));
    const { code, stdout, stderr } = await run('validate', ACME, bad, '--json');
    expect(code).toBe(1);
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as {
      valid: boolean;
      files: {
        file: string;
        valid: boolean;
        errors: { path: string }[];
        connector?: { id: string };
      }[];
    };
    expect(report.valid).toBe(false);
    expect(report.files.map((f) => f.valid)).toEqual([true, false]);
    expect(report.files[0]!.connector?.id).toBe('acme');
    expect(report.files[1]!.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['name', 'version', 'authMethods', 'endpoints']),
    );
    const both = await run('validate', ACME, ACME);
    expect(both.code).toBe(0);
    expect(both.stdout.match(/is valid: Acme CRM/g)).toHaveLength(2);
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
    // Named by its file, so several files at once say which one it was.
    expect(stderr).toContain('✖ /nonexistent/acme.yaml: ');
  });

  it('answers a usage error with exit code 2 and the help', async () => {
    const { code, stderr } = await run('validate');
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'file'");
    expect((await run('validate', ACME, '--jsn')).code).toBe(2);
    expect((await run('nope')).code).toBe(2);
    expect((await run()).code).toBe(2);
  });
});
