import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '@splice/cli';
import {
  type AuthorizationServer,
  completeConsent,
  startAuthorizationServer,
} from '@splice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CLI's own test connector: `splice auth test` is exercised here, where oidc-provider is.
const ACME = new URL('../../packages/cli/test/fixtures/acme.yaml', import.meta.url).pathname;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The callback URL the scripted user was sent back to (holds the code). */
  callback: string;
}

// Runs `splice auth test` in-process and plays the user: as soon as the authorise URL is printed,
// completeConsent signs in and approves on oidc-provider's pages, then the browser's last hop (the
// redirect to the CLI's callback server) is made with fetch.
async function authTest(
  server: AuthorizationServer,
  connector: string,
  port: number,
  extra: string[],
): Promise<Run> {
  const client = server.clients[0]!;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  let callback = '';
  let consent: Promise<void> | undefined;
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const url = out.split('\n').find((line) => line.startsWith(`${server.issuer}/auth?`));
    if (url !== undefined && consent === undefined) {
      consent = completeConsent(url).then(async (redirect) => {
        callback = redirect;
        await (await fetch(redirect)).text();
      });
    }
  });
  const code = await runCli(
    [
      'auth',
      'test',
      connector,
      '--method',
      'acme-oauth',
      '--port',
      String(port),
      '--wait',
      '30',
      '--var',
      'account=northwind',
      '--var',
      `client_id=${client.clientId}`,
      '--var',
      `client_secret=${client.clientSecret}`,
      ...extra,
    ],
    { output: { stdout, stderr } },
  );
  await consent;
  return { code, stdout: out, stderr: err, callback };
}

describe('splice auth test', () => {
  let server: AuthorizationServer;
  let port: number;
  let connector: string;

  beforeAll(async () => {
    port = await freePort();
    server = await startAuthorizationServer({
      clients: [
        {
          clientId: 'acme-cli',
          redirectUris: [`http://127.0.0.1:${port}/callback`],
          tokenEndpointAuthMethod: 'client_secret_basic',
        },
      ],
      scopes: ['api'],
    });
    // The Acme definition with its auth origin aimed at the test's oidc-provider.
    connector = join(mkdtempSync(join(tmpdir(), 'splice-auth-test-')), 'acme.yaml');
    writeFileSync(
      connector,
      readFileSync(ACME, 'utf8').replaceAll('https://auth.acme.example', server.issuer),
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('runs the consent, exchanges the code and reports the redacted token response', async () => {
    const before = server.counts.authorizationCode;
    const run = await authTest(server, connector, port, []);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(server.counts.authorizationCode).toBe(before + 1);
    expect(run.stdout).toContain(`Redirect URI: http://127.0.0.1:${port}/callback`);
    expect(run.stdout).toContain('Token response: HTTP 200, JSON; values redacted:');
    expect(run.stdout).toMatch(/"access_token": "<string, \d+ chars>"/);
    expect(run.stdout).toContain('"expires_in": "<number>"');
    expect(run.stdout).toMatch(
      /✔ access token\s+response_authentication_token_key = "access_token": found/,
    );
    expect(run.stdout).toMatch(
      /✔ refresh token\s+response_refresh_token_key = "refresh_token": found/,
    );
    expect(run.stdout).toMatch(/✔ expiry\s+response_expires_in_key = "expires_in": found/);
    expect(run.stdout).toContain('✔ acme-oauth works');
    // Neither the client secret nor the authorization code is ever printed.
    const code = new URL(run.callback).searchParams.get('code')!;
    expect(code.length).toBeGreaterThan(10);
    expect(run.stdout).not.toContain(code);
    expect(run.stdout).not.toContain(server.clients[0]!.clientSecret);
  });

  it('says where the token is when the configured key does not match', async () => {
    const run = await authTest(server, connector, port, [
      '--var',
      'response_authentication_token_key=data.token',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /✖ access token\s+response_authentication_token_key = "data.token": not in the response/,
    );
    expect(run.stdout).toMatch(/set response_authentication_token_key to .*access_token/);
    expect(run.stdout).toContain('TOKEN_RESPONSE_INVALID');
    expect(run.stdout).not.toContain(server.clients[0]!.clientSecret);
  });

  it('names the method ids when the method does not exist', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await runCli(['auth', 'test', connector, '--method', 'nope'], {
      output: { stdout: new PassThrough(), stderr },
    });
    expect(code).toBe(1);
    expect(err).toContain(
      'has no auth method "nope"; it has: acme-oauth (oauth2-authorization-code), acme-token (token)',
    );
  });

  it('refuses a non-interactive method', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await runCli(['auth', 'test', connector, '--method', 'acme-token'], {
      output: { stdout: new PassThrough(), stderr },
    });
    expect(code).toBe(1);
    expect(err).toContain('"acme-token" is of type "token"');
  });
});
