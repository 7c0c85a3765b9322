import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli } from '@splice/cli';
import { generateEncryptionKey } from '@splice/core';
import { createRuntime, loadConnector } from '@splice/endpoint-runtime';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { SqliteStore } from '@splice/store-sqlite';
import { tokenAuth } from '@splice/strategies/token';
import {
  type AuthorizationServer,
  completeConsent,
  type ResourceServer,
  startProviderSimulator,
} from '@splice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcmeProvider, freePort, startAcmeProvider } from './support/acmeProvider.js';
import { collect } from './support/collect.js';
import { TENANTS, writeXeroLikeConnector } from './support/xeroLike.js';

const BIN = fileURLToPath(new URL('../../packages/cli/bin/splice.js', import.meta.url));

// `splice call` and `splice instances` on a real SQLite store, encrypted, whose instances an
// engine added: one with the token method, one through oidc-provider's consent pages.
const API_TOKEN = 'acme-api-token-7f3a9c';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('splice call and splice instances', () => {
  let server: AuthorizationServer;
  let api: ResourceServer;
  let port: number;
  let connector: string;
  let db: string;
  let env: Record<string, string>;
  let tokenInstance: string;
  let oauthInstance: string;

  // The real command, as a shell runs it: the bundle the integration project's global setup built.
  const splice = (...argv: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...argv],
        { env: { PATH: process.env['PATH'] ?? '', ...env } },
        (error, stdout, stderr) => {
          resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
        },
      );
    });

  let provider: AcmeProvider;

  beforeAll(async () => {
    provider = await startAcmeProvider(API_TOKEN, {
      'GET /:account/orders': (request) => ({
        headers: { 'x-request-id': 'r-1', 'set-cookie': 'session=abc123456789' },
        body: { orders: [{ id: 7, status: request.query['status'] ?? 'any' }], echo: API_TOKEN },
      }),
      'GET /:account/products': () => ({ status: 404, body: { error: 'no products' } }),
      'GET /:account/customers': () => ({ body: { customers: [] } }),
    });
    ({ server, api, port, connector } = provider);
    db = join(mkdtempSync(join(tmpdir(), 'splice-instances-')), 'splice.db');
    const key = generateEncryptionKey();
    env = { SPLICE_DB: db, SPLICE_KEY: `k1:${key}`, SPLICE_CONNECTORS: connector };
    // An engine adds the instances, as it would in production.
    const strategies = [oauth2AuthorizationCode(), tokenAuth()];
    const store = new SqliteStore({ path: db, encryption: { keys: [{ id: 'k1', key }] } });
    const runtime = createRuntime({
      connectors: [await loadConnector(connector, { strategies })],
      strategies,
      store,
      callbackUrl: `http://127.0.0.1:${port}/callback`,
    });
    tokenInstance = (
      await runtime.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-token',
        name: 'Northwind token',
        variables: { account: 'northwind', token: API_TOKEN },
      })
    ).id;
    const client = server.clients[0]!;
    const { authorizationUrl } = await runtime.beginAuthorization({
      connectorId: 'acme',
      authMethodId: 'acme-oauth',
      name: 'Northwind OAuth',
      variables: {
        account: 'northwind',
        client_id: client.clientId,
        client_secret: client.clientSecret,
      },
    });
    oauthInstance = (await runtime.completeAuthorization(await completeConsent(authorizationUrl)))
      .id;
    await runtime.close();
    await store.close();
  });
  afterAll(async () => {
    await provider.close();
  });

  it('calls an endpoint of a saved instance: status, headers and body, secrets masked', async () => {
    const run = await splice('call', tokenInstance, 'list-orders', '--query', 'status=open');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^HTTP 200\n/);
    expect(run.stdout).toContain('x-request-id: r-1');
    expect(run.stdout).toContain('set-cookie: [redacted]');
    expect(run.stdout).toContain('"status": "open"');
    // The API echoed the instance's token: masked by value.
    expect(run.stdout).toContain('"echo": "[redacted]"');
    expect(run.stdout).not.toContain(API_TOKEN);
    expect(run.stdout).not.toContain('abc123456789');
    expect(api.requests.at(-1)!.headers['x-acme-token']).toBe(API_TOKEN);
  });

  it('prints an error status with its body and exits 1; --json gives one document', async () => {
    const run = await splice('call', oauthInstance, 'list-products', '--json');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as { status: number; body: string };
    expect(result.status).toBe(404);
    expect(JSON.parse(result.body)).toEqual({ error: 'no products' });
  });

  it('refuses an endpoint the method does not enable, and a missing store is a usage error', async () => {
    const run = await splice('call', tokenInstance, 'list-customers');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ENDPOINT_NOT_ENABLED');
    // No connector file for the instance's connector: the command was not told where it is.
    const connectors = env['SPLICE_CONNECTORS']!;
    env = { ...env, SPLICE_CONNECTORS: '' };
    const noConnector = await splice('call', tokenInstance, 'list-orders');
    env = { ...env, SPLICE_CONNECTORS: connectors };
    expect(noConnector.code).toBe(2);
    expect(noConnector.stderr).toContain('pass -c <file> (or set SPLICE_CONNECTORS)');
    env = { ...env };
    const saved = env['SPLICE_DB']!;
    delete env['SPLICE_DB'];
    const usage = await splice('instances', 'list');
    env['SPLICE_DB'] = saved;
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('pass --db <file> or set SPLICE_DB');
    // A misspelt path is a usage error too, and leaves no empty database behind.
    const typo = `${saved}.typo`;
    const misspelt = await splice('instances', 'list', '--db', typo);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain(`no store at "${typo}"`);
    expect(existsSync(typo)).toBe(false);
  });

  it('a malformed SPLICE_KEY is a usage error naming it and the expected form, never its value', async () => {
    const good = env['SPLICE_KEY']!;
    const key = good.slice('k1:'.length);
    const cases: [string, string][] = [
      ['k1:c2hvcnQta2V5LXNlY3JldA', `SPLICE_KEY entry 1's key (id "k1") must be 32 bytes`],
      ['k1:not base64 at all!', `SPLICE_KEY entry 1's key (id "k1") must be 32 bytes`],
      [`k1:${key},k1:${key}`, `SPLICE_KEY entry 2's id "k1" is used twice`],
      [`bad id!:${key}`, "SPLICE_KEY entry 1's id must be 1-64 characters"],
      [' , ', 'SPLICE_KEY is set but holds no key'],
    ];
    try {
      for (const [value, problem] of cases) {
        env = { ...env, SPLICE_KEY: value };
        const run = await splice('instances', 'list');
        expect(run.code, value).toBe(2);
        expect(run.stderr).toContain(problem);
        expect(run.stderr).toContain('<id>:<base64 32-byte key>[,…]');
        expect(run.stdout).toBe('');
        for (const part of [key, 'c2hvcnQta2V5LXNlY3JldA', 'not base64 at all']) {
          expect(run.stderr).not.toContain(part);
        }
      }
    } finally {
      env = { ...env, SPLICE_KEY: good };
    }
    expect((await splice('instances', 'list')).code).toBe(0);
  });

  // The acme definition beside the original as `name`, its list-orders endpoint with `variables`
  // (YAML flow text): its path.
  function listOrdersWith(name: string, variables: string): string {
    const file = join(dirname(connector), name);
    const text = readFileSync(connector, 'utf8').replace(
      /(- id: list-orders\n(?: {4}.*\n)*? {4}authMethods: \[acme-token\])/,
      `$1\n    variables: ${variables}`,
    );
    expect(text).toContain(`variables: ${variables}`);
    writeFileSync(file, text);
    return file;
  }

  it('refuses a misspelt --var key of call and reauthorize as a usage error with a did-you-mean', async () => {
    const value = 'var-value-7c1e-s3cret';
    // The definition with a variable a call to list-orders may set.
    const withStatus = listOrdersWith('acme-status.yaml', '[{ key: status }]');
    const requests = api.requests.length;
    const call = await splice(
      'call',
      tokenInstance,
      'list-orders',
      '-c',
      withStatus,
      '--var',
      `statsu=${value}`,
    );
    expect(call.stderr).toContain(
      '--var statsu: endpoint "list-orders" has no variable "statsu"; did you mean --var status=…?',
    );
    expect(call.stderr).toContain('keys you can set: status');
    expect(call.code).toBe(2);
    expect(api.requests.length).toBe(requests);
    const reauthorize = await splice(
      'instances',
      'reauthorize',
      oauthInstance,
      '--port',
      '0',
      '--var',
      `clientid=${value}`,
    );
    expect(reauthorize.stderr).toContain(
      '--var clientid: auth method "acme-oauth" has no variable "clientid"; did you mean --var client_id=…?',
    );
    expect(reauthorize.stderr).toMatch(/keys you can set: .*client_id/);
    expect(reauthorize.code).toBe(2);
    expect(reauthorize.stdout).toBe('');
    for (const run of [call, reauthorize]) expect(run.stdout + run.stderr).not.toContain(value);
  });

  it("tells an endpoint's required variable without a value as a usage error naming it, nothing sent", async () => {
    const withStatus = listOrdersWith(
      'acme-required-status.yaml',
      '[{ key: status, required: true }]',
    );
    const requests = api.requests.length;
    for (const given of [[], ['--var', 'status=']]) {
      const run = await splice('call', tokenInstance, 'list-orders', '-c', withStatus, ...given);
      expect(run.stderr).toBe(
        '✖ status has no value: endpoint "list-orders" of acme needs it. Give it with --var status=…\n',
      );
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
    }
    expect(api.requests.length).toBe(requests);
    const given = await splice(
      'call',
      tokenInstance,
      'list-orders',
      '-c',
      withStatus,
      '--var',
      'status=open',
    );
    expect(given.code).toBe(0);
  });

  it('tells a required value a reauthorize --var empties as a usage error naming the key', async () => {
    const run = await splice(
      'instances',
      'reauthorize',
      oauthInstance,
      '--port',
      '0',
      '--var',
      'client_id=',
    );
    expect(run.stderr).toContain(
      `✖ client_id has no value: instance ${oauthInstance} (auth method "acme-oauth") needs it. Give it with --var client_id=…`,
    );
    expect(run.stderr).not.toMatch(/VARIABLE_MISSING|pass it as variables/);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain(server.clients[0]!.clientSecret);
  });

  it('a SPLICE_KEY that cannot decrypt the store is a usage error naming it and the key id needed, never a key', async () => {
    const good = env['SPLICE_KEY']!;
    const key = good.slice('k1:'.length);
    const other = generateEncryptionKey();
    const cases: [string | undefined, string][] = [
      [
        undefined,
        'the store is encrypted: its records were written with key id "k1", and SPLICE_KEY is not set. Set SPLICE_KEY=k1:<base64 32-byte key>',
      ],
      ['', 'and SPLICE_KEY is empty. Set SPLICE_KEY=k1:<base64 32-byte key>'],
      [
        `k2:${other}`,
        `written with key id "k1", which SPLICE_KEY does not have (it has "k2"). Add the engine's key with that id: SPLICE_KEY=…,k1:<base64 32-byte key>`,
      ],
      [`k1:${other}`, `could not be decrypted with SPLICE_KEY's key "k1"`],
    ];
    try {
      for (const [value, problem] of cases) {
        env = { ...env };
        if (value === undefined) delete env['SPLICE_KEY'];
        else env['SPLICE_KEY'] = value;
        for (const run of [
          await splice('instances', 'list'),
          await splice('call', tokenInstance, 'list-orders'),
        ]) {
          expect(run.stderr, String(value)).toContain(problem);
          expect(run.code, String(value)).toBe(2);
          expect(run.stdout).toBe('');
          expect(run.stderr).not.toContain('encryption.keys');
          for (const secret of [key, other, API_TOKEN]) expect(run.stderr).not.toContain(secret);
        }
      }
    } finally {
      env = { ...env, SPLICE_KEY: good };
    }
    expect((await splice('instances', 'list')).code).toBe(0);
  });

  it('lists and shows instances with their token status, secrets redacted', async () => {
    const list = await splice('instances', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(
      /^ID\s+NAME\s+CONNECTOR › METHOD\s+STATUS\s+CREATED$/,
    );
    expect(list.stdout).toContain(`${tokenInstance}  Northwind token`);
    expect(list.stdout).toContain('acme › acme-oauth');
    const show = await splice('instances', 'show', oauthInstance);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('client_secret = [redacted]');
    expect(show.stdout).toContain('account = northwind');
    expect(show.stdout).toMatch(/token: {7}valid, refreshable/);
    expect(show.stdout).toMatch(/expires {6}\d{4}-\d\d-\d\dT/);
    expect(show.stdout).toContain('endpoints:   list-products, list-customers');
    expect(show.stdout).not.toContain(server.clients[0]!.clientSecret);
    const json = JSON.parse(
      (await splice('instances', 'show', oauthInstance, '--json')).stdout,
    ) as {
      credentials: { state: string; refreshable: boolean };
    };
    expect(json.credentials).toMatchObject({ state: 'valid', refreshable: true });
    expect((await splice('instances', 'show', 'inst_nope')).code).toBe(1);
  });

  it('re-authorizes an OAuth instance through a new consent: same id, new credentials', async () => {
    const codes = server.counts.authorizationCode;
    const stdout = new PassThrough();
    let out = '';
    let consent: Promise<void> | undefined;
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = out.split('\n').find((line) => line.startsWith(`${server.issuer}/auth?`));
      if (url !== undefined && consent === undefined) {
        consent = completeConsent(url).then(async (redirect) => {
          await (await fetch(redirect)).text();
        });
      }
    });
    const code = await runCli(
      ['instances', 'reauthorize', oauthInstance, '--port', String(port), '--wait', '30'],
      { output: { stdout, stderr: new PassThrough() }, env },
    );
    await consent;
    expect(out).toMatch(/✔ consent/);
    expect(out).toMatch(/✔ exchange .*code exchanged: instance /);
    expect(out).toContain(`✔ ${oauthInstance} has new credentials`);
    expect(code).toBe(0);
    expect(server.counts.authorizationCode).toBe(codes + 1);
    expect(out).not.toContain(server.clients[0]!.clientSecret);
  });

  it('renames and deletes an instance', async () => {
    const empty = await splice('instances', 'rename', tokenInstance, ' ');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('the new name is empty');
    const rename = await splice('instances', 'rename', tokenInstance, 'Northwind production');
    expect(rename.code).toBe(0);
    expect((await splice('instances', 'list')).stdout).toContain('Northwind production');
    const deleted = await splice('instances', 'delete', tokenInstance);
    expect(deleted.code).toBe(0);
    expect((await splice('instances', 'list')).stdout).not.toContain(tokenInstance);
    const again = await splice('instances', 'delete', tokenInstance);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`no instance "${tokenInstance}"`);
  });
});

describe('splice instances reauthorize with post-authorization steps', () => {
  it('asks for the choice again after the new consent: fails listing it, records --choose', async () => {
    const port = await freePort();
    const callbackUrl = `http://127.0.0.1:${port}/callback`;
    const simulator = await startProviderSimulator({
      redirectUris: [callbackUrl],
      quirks: { discovery: TENANTS },
    });
    try {
      const file = writeXeroLikeConnector(simulator);
      const db = join(mkdtempSync(join(tmpdir(), 'splice-instances-')), 'splice.db');
      const key = generateEncryptionKey();
      const env = { SPLICE_DB: db, SPLICE_KEY: `k1:${key}`, SPLICE_CONNECTORS: file };
      // An engine adds the instance and records the UK organisation.
      const strategies = [oauth2AuthorizationCode()];
      const store = new SqliteStore({ path: db, encryption: { keys: [{ id: 'k1', key }] } });
      const runtime = createRuntime({
        connectors: [await loadConnector(file, { strategies })],
        strategies,
        store,
        callbackUrl,
      });
      const { authorizationUrl } = await runtime.beginAuthorization({
        connectorId: 'xero-like',
        authMethodId: 'xero',
        name: 'Xero',
        variables: { client_id: simulator.clientId, client_secret: simulator.clientSecret },
      });
      // The simulator consents at once: its answer redirects to the callback.
      const consent = await fetch(authorizationUrl, { redirect: 'manual' });
      const pending = await runtime.completeAuthorization(consent.headers.get('location')!);
      expect(pending.pendingChoice?.choices.map((c) => c.id)).toEqual(
        TENANTS.map((t) => t.tenantId),
      );
      const instanceId = (await runtime.chooseValue(pending, 'tenant', 'tenant-uk-70784a63')).id;
      await runtime.close();
      await store.close();

      const reauthorize = async (...extra: string[]): Promise<{ code: number; out: string }> => {
        const stdout = collect();
        const code = await runCli(
          ['instances', 'reauthorize', instanceId, '--headless', '--port', String(port), ...extra],
          { output: { stdout: stdout.stream, stderr: collect().stream }, env },
        );
        return { code, out: stdout.text() };
      };
      // Not on a terminal and no --choose: the new credentials are kept, the choice is asked for.
      const undecided = await reauthorize();
      expect(undecided.code).toBe(1);
      expect(undecided.out).toContain(
        'CHOICE_REQUIRED: step tenant offers 2 choices and none was given: tenant-uk-70784a63 (Demo Company (UK)), tenant-nz-9a1b2c3d (Demo Company (NZ))',
      );
      expect(undecided.out).toContain(
        `✖ ${instanceId} has new credentials, but its post-authorization steps are not done`,
      );
      const { code, out } = await reauthorize('--choose', 'tenant-nz-9a1b2c3d');
      expect(out).toMatch(/✔ exchange .*code exchanged: instance /);
      expect(out).toMatch(/✔ post-authorization .*captured tenant_id; choice recorded in \d+ ms/);
      expect(out).toContain(`✔ ${instanceId} has new credentials`);
      expect(code).toBe(0);
      const shown = collect();
      await runCli(['instances', 'show', instanceId, '--json'], {
        output: { stdout: shown.stream, stderr: collect().stream },
        env,
      });
      const { instance } = JSON.parse(shown.text()) as {
        instance: { status: string; captured: Record<string, string> };
      };
      expect(instance.status).toBe('active');
      expect(instance.captured).toEqual({ tenant_id: 'tenant-nz-9a1b2c3d' });
      expect(out).not.toContain(simulator.clientSecret);
    } finally {
      await simulator.close();
    }
  });
});
