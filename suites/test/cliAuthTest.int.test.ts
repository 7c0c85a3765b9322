import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '@splice/cli';
import {
  type AuthorizationServer,
  completeConsent,
  type ResourceServer,
  type SimulatorQuirks,
  startProviderSimulator,
} from '@splice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AcmeProvider, freePort, startAcmeProvider } from './support/acmeProvider.js';
import { collect } from './support/collect.js';
import { writeSimulatorConnector } from './support/simConnector.js';
import { TENANTS, writeXeroLikeConnector } from './support/xeroLike.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** The callback URL the scripted user was sent back to (holds the code). */
  callback: string;
  /** The page the browser showed after the redirect. */
  page: string;
}

interface AuthTestOptions {
  readonly secret?: string;
  readonly env?: Record<string, string>;
  readonly stdin?: string;
  /** Leave the user out: no consent is played (the run must end by itself). */
  readonly noUser?: boolean;
  /** The user presses "abort" on the provider's page: it redirects back with error=access_denied. */
  readonly deny?: boolean;
}

// Runs `splice auth test` in-process and plays the user: as soon as the authorise URL is printed,
// completeConsent signs in and approves on oidc-provider's pages, then the browser's last hop (the
// redirect to the CLI's callback server) is made with fetch.
async function authTest(
  server: AuthorizationServer,
  connector: string,
  port: number,
  extra: string[],
  options: AuthTestOptions = {},
): Promise<Run> {
  const client = server.clients[0]!;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  let callback = '';
  let page = '';
  let consent: Promise<void> | undefined;
  const watch = (): void => {
    const url = `${out}\n${err}`
      .split('\n')
      .find((line) => line.startsWith(`${server.issuer}/auth?`));
    if (url !== undefined && consent === undefined && options.noUser !== true) {
      consent = completeConsent(url, { deny: options.deny === true }).then(async (redirect) => {
        callback = redirect;
        page = await (await fetch(redirect)).text();
      });
    }
  };
  stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    watch();
  });
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    watch();
  });
  const stdin = new PassThrough();
  stdin.end(options.stdin ?? '');
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
      ...extra,
    ],
    {
      output: { stdout, stderr, stdin },
      env: { SPLICE_VAR_CLIENT_SECRET: options.secret ?? client.clientSecret, ...options.env },
    },
  );
  await consent;
  return { code, stdout: out, stderr: err, callback, page };
}

const OUTPUT_OF = (run: Run): string => `${run.stdout}\n${run.stderr}`;

describe('splice auth test', () => {
  let server: AuthorizationServer;
  let api: ResourceServer;
  let port: number;
  let connector: string;

  let provider: AcmeProvider;

  beforeAll(async () => {
    provider = await startAcmeProvider('acme-api-token-1', {
      'GET /:account/products': (request) => ({
        body: { account: request.params['account'], products: [{ id: 1 }] },
      }),
      'GET /:account/orders': () => ({ body: { orders: [] } }),
      'GET /:account/customers': () => ({ status: 403, body: { error: 'forbidden' } }),
    });
    ({ server, api, port, connector } = provider);
  });
  afterAll(async () => {
    await provider.close();
  });

  it('runs the whole life of an OAuth 2 instance: consent, exchange, call, forced refresh, call', async () => {
    const codes = server.counts.authorizationCode;
    const refreshes = server.counts.refreshToken;
    const run = await authTest(server, connector, port, []);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(server.counts.authorizationCode).toBe(codes + 1);
    expect(server.counts.refreshToken).toBe(refreshes + 1);
    expect(run.stdout).toContain(`Redirect URI: http://127.0.0.1:${port}/callback`);
    expect(run.stdout).toContain('Token response: HTTP 200, JSON; values redacted:');
    expect(run.stdout).toMatch(/"access_token": "<string, \d+ chars>"/);
    expect(run.stdout).toContain('"expires_in": "<number>"');
    expect(run.stdout).toMatch(
      /✔ access token\s+response_authentication_token_key = "access_token": found/,
    );
    expect(run.stdout).toMatch(/✔ expiry\s+response_expires_in_key = "expires_in": found/);
    // Every step, in order, with its time.
    const steps = run.stdout
      .split('\n')
      .filter((line) => /^[✔!✖–] /.test(line))
      .map((line) => line.replace(/\s+/g, ' '));
    expect(steps).toEqual([
      expect.stringMatching(/^✔ consent \d+(\.\d+)? m?s redirect received$/),
      expect.stringMatching(
        /^✔ exchange \d+(\.\d+)? m?s code exchanged: instance \S+, expires in \d+ s, refresh token/,
      ),
      expect.stringMatching(/^✔ call \d+(\.\d+)? m?s GET list-products → 200 \(\d+ bytes\)$/),
      expect.stringMatching(
        /^✔ refresh \d+(\.\d+)? m?s new access token, expires in \d+ s, refresh token.*; refresh token (rotated|kept)$/,
      ),
      expect.stringMatching(
        /^✔ after refresh \d+(\.\d+)? m?s GET list-products → 200 \(\d+ bytes\) with the new token$/,
      ),
      '✔ acme-oauth works: 5 of 5 steps passed.',
    ]);
    // The API saw the first token, then the refreshed one twice (the refresh step's call and the
    // call after it).
    const bearers = api.requests
      .filter((r) => r.path === '/northwind/products')
      .slice(-3)
      .map((r) => r.headers['authorization']);
    expect(bearers).toHaveLength(3);
    expect(bearers[0]).not.toBe(bearers[1]);
    expect(bearers[1]).toBe(bearers[2]);
    // The browser was told the authorization worked only after the exchange did.
    expect(run.page).toContain('Authorization worked');
    // Neither the client secret, the code nor a token is ever printed.
    const code = new URL(run.callback).searchParams.get('code')!;
    expect(code.length).toBeGreaterThan(10);
    for (const secret of [
      code,
      server.clients[0]!.clientSecret,
      ...bearers.map((b) => b!.slice(7)),
    ]) {
      expect(OUTPUT_OF(run)).not.toContain(secret);
    }
  });

  it('reads the client secret from --var-file - (stdin) and reports JSON with --json', async () => {
    const run = await authTest(server, connector, port, ['--var-file', '-', '--json'], {
      secret: 'not-this-one',
      stdin: `# secrets\nclient_secret=${server.clients[0]!.clientSecret}\n`,
    });
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      steps: { id: string; status: string; ms: number; facts?: Record<string, unknown> }[];
    };
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['consent', 'ok'],
      ['exchange', 'ok'],
      ['call', 'ok'],
      ['refresh', 'ok'],
      ['after-refresh', 'ok'],
    ]);
    expect(report.steps.every((s) => Number.isInteger(s.ms))).toBe(true);
    expect(report.steps[2]!.facts).toEqual({ endpoint: 'list-products', status: 200 });
    // The URL for the user went to stderr, and no secret anywhere.
    expect(run.stderr).toContain(`${server.issuer}/auth?`);
    expect(OUTPUT_OF(run)).not.toContain(server.clients[0]!.clientSecret);
  });

  it("shows the provider's OAuth error for a wrong client secret, and tells the browser", async () => {
    const run = await authTest(server, connector, port, [], { secret: 'wrong-secret-value' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✖ exchange .*TOKEN_REQUEST_FAILED/);
    expect(run.stdout).toMatch(/OAuth error: invalid_client — \S/);
    expect(run.stdout).toContain('check client_id and client_secret');
    expect(run.stdout).toContain('client_secret_basic');
    expect(run.stdout).toMatch(/– call\s+not run: an earlier step failed/);
    expect(run.page).toContain('Authorization failed');
    expect(OUTPUT_OF(run)).not.toContain('wrong-secret-value');
    expect(OUTPUT_OF(run)).not.toContain('[redacted] — [redacted]');
  });

  it("fails the consent when the provider redirects back refusing it, with the provider's error and a hint, and tells the browser", async () => {
    const codes = server.counts.authorizationCode;
    const run = await authTest(server, connector, port, [], { deny: true });
    expect(new URL(run.callback).searchParams.get('error')).toBe('access_denied');
    expect(run.code).toBe(1);
    const steps = run.stdout.split('\n').filter((line) => /^[✔!✖–] /.test(line));
    expect(steps[0]).toMatch(
      /^✖ consent .* AUTH_DENIED: the provider refused the authorization: access_denied \(End-User aborted interaction\)$/,
    );
    expect(run.stdout).toContain('OAuth error: access_denied — End-User aborted interaction');
    expect(run.stdout).toContain('→ the user (or the provider) declined the consent');
    expect(steps[1]).toMatch(/^– exchange\s+not run: an earlier step failed$/);
    expect(steps.at(-1)).toBe('✖ acme-oauth failed at consent.');
    // The SDK's advice (beginAuthorization()) is not the CLI user's.
    expect(OUTPUT_OF(run)).not.toContain('beginAuthorization');
    expect(server.counts.authorizationCode).toBe(codes);
    expect(run.page).toContain('<title>Authorization refused</title>');
    expect(run.page).toContain(
      'The provider refused the authorization: access_denied (End-User aborted interaction).',
    );
  });

  it('recognises a redirect URI the provider does not accept instead of waiting', async () => {
    const other = await freePort();
    const started = Date.now();
    const run = await authTest(server, connector, other, [], { noUser: true });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`✖ consent`);
    expect(run.stdout).toContain(
      `the provider refuses the redirect URI http://127.0.0.1:${other}/callback`,
    );
    expect(run.stdout).toContain(`register http://127.0.0.1:${other}/callback as a redirect URI`);
    // The wait is 30 s; recognising the error page does not need it.
    expect(Date.now() - started).toBeLessThan(25_000);
  });

  it('names a refused connection to the token URL as such, not as an HTTP status', async () => {
    const closed = await freePort();
    const broken = join(mkdtempSync(join(tmpdir(), 'splice-auth-test-')), 'acme.yaml');
    writeFileSync(
      broken,
      readFileSync(connector, 'utf8').replace(
        `token: ${server.issuer}/token`,
        `token: http://127.0.0.1:${closed}/token`,
      ),
    );
    expect(readFileSync(broken, 'utf8')).toContain(`127.0.0.1:${closed}/token`);
    const run = await authTest(server, broken, port, []);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✖ exchange .*TOKEN_REQUEST_FAILED/);
    expect(run.stdout).toContain('cause: connection refused');
    // No HTTP status stands in for the refused connection. Steps print their duration ("502 ms")
    // and the authorise URL a random state, so a bare number is not the test.
    expect(run.stdout).not.toMatch(/\bHTTP \d{3}\b|\bstatus(?: code)? \d{3}\b|Bad Gateway/i);
  });

  it('names a token host that does not resolve as a DNS failure', async () => {
    const broken = join(mkdtempSync(join(tmpdir(), 'splice-auth-test-')), 'acme.yaml');
    // RFC 6761 §6.4: names under .invalid never resolve.
    writeFileSync(
      broken,
      readFileSync(connector, 'utf8').replace(
        `token: ${server.issuer}/token`,
        'token: https://token.splice.invalid/token',
      ),
    );
    expect(readFileSync(broken, 'utf8')).toContain('token.splice.invalid');
    const run = await authTest(server, broken, port, []);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/✖ exchange .*TOKEN_REQUEST_FAILED/);
    expect(run.stdout).toMatch(
      /cause: DNS: the host name does not resolve \((ENOTFOUND|EAI_AGAIN)\)/,
    );
    expect(run.stdout).toContain('check the host name in urls.token');
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

  it('tests a token method with its secret from the environment: no consent, no refresh', async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    const code = await runCli(
      [
        'auth',
        'test',
        connector,
        '-m',
        'acme-token',
        '--var',
        'account=northwind',
        '--endpoint',
        'list-orders',
      ],
      {
        output: { stdout, stderr: new PassThrough() },
        env: { SPLICE_VAR_TOKEN: 'acme-api-token-1' },
      },
    );
    expect(code).toBe(0);
    const steps = out.split('\n').filter((line) => /^[✔!✖–] /.test(line));
    expect(steps.map((line) => line.slice(0, 16).trim())).toEqual([
      '– consent',
      '✔ exchange',
      '✔ call',
      '– refresh',
      '– after refresh',
      '✔ acme-token wor',
    ]);
    expect(out).toMatch(/✔ call .*GET list-orders → 200/);
    expect(out).not.toContain('acme-api-token-1');
    expect(api.requests.at(-1)!.credential).toBe('token');
  });

  it('tests a client-credentials method: no consent, a token, a call, a new token on refresh', async () => {
    const client = server.clients[0]!;
    const file = join(mkdtempSync(join(tmpdir(), 'splice-auth-test-')), 'service.yaml');
    writeFileSync(
      file,
      [
        'id: service',
        'name: Service',
        'version: "1"',
        'authMethods:',
        '  - id: service-cc',
        '    name: Service account',
        '    type: oauth2-client-credentials',
        '    variables: [{ key: token_endpoint_auth_method, default: client_secret_basic }]',
        `    urls: { token: "${server.tokenUrl}" }`,
        'endpoints:',
        `  - { id: products, name: Products, method: GET, url: "${api.url}/northwind/products?page={{page}}", variables: [{ key: page, default: "1" }], authMethods: [service-cc] }`,
      ].join('\n'),
    );
    const grants = server.counts.clientCredentials;
    const calls = api.requests.length;
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    // An endpoint's variable (page) is for the call; the instance is added without it.
    const code = await runCli(
      ['auth', 'test', file, '-m', 'service-cc', '--json', '--var', 'page=2'],
      {
        output: { stdout, stderr: new PassThrough() },
        env: {
          SPLICE_VAR_CLIENT_ID: client.clientId,
          SPLICE_VAR_CLIENT_SECRET: client.clientSecret,
        },
      },
    );
    const report = JSON.parse(out) as { ok: boolean; steps: { id: string; status: string }[] };
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['consent', 'skipped'],
      ['exchange', 'ok'],
      ['call', 'ok'],
      ['refresh', 'ok'],
      ['after-refresh', 'ok'],
    ]);
    expect(code).toBe(0);
    expect(server.counts.clientCredentials).toBe(grants + 2);
    // The call, the refresh step's call and the call after it, each with the endpoint's value.
    expect(api.requests.slice(calls).map((request) => request.target)).toEqual([
      '/northwind/products?page=2',
      '/northwind/products?page=2',
      '/northwind/products?page=2',
    ]);
    expect(out).not.toContain(client.clientSecret);
  });

  it('names the method ids when the method does not exist (a usage error, exit 2)', async () => {
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const code = await runCli(['auth', 'test', connector, '--method', 'nope'], {
      output: { stdout: new PassThrough(), stderr },
    });
    expect(code).toBe(2);
    expect(err).toContain(
      'has no auth method "nope"; it has: acme-oauth (oauth2-authorization-code), acme-token (token)',
    );
  });
});

// `--headless` against the simulator runs through the real binary: cliBinary.int.test.ts.

describe('splice auth test against the provider simulator', () => {
  // Runs `splice auth test --headless` against a simulator with `quirks`.
  async function simulated(
    quirks: Partial<SimulatorQuirks>,
    endpointVariables = '[]',
    argv: readonly string[] = [],
  ): Promise<{
    code: number;
    out: string;
    simulator: Awaited<ReturnType<typeof startProviderSimulator>>;
  }> {
    const port = await freePort();
    const simulator = await startProviderSimulator({
      redirectUris: [`http://127.0.0.1:${port}/callback`],
      quirks,
    });
    try {
      const file = writeSimulatorConnector(simulator, endpointVariables);
      const stdout = collect();
      const stderr = collect();
      const code = await runCli(
        ['auth', 'test', file, '-m', 'sim-oauth', '--headless', '--port', String(port), ...argv],
        {
          output: { stdout: stdout.stream, stderr: stderr.stream, stdin: new PassThrough() },
          env: {
            SPLICE_VAR_CLIENT_ID: simulator.clientId,
            SPLICE_VAR_CLIENT_SECRET: simulator.clientSecret,
          },
        },
      );
      return { code, out: `${stdout.text()}\n${stderr.text()}`, simulator };
    } finally {
      await simulator.close();
    }
  }

  it('fails the consent at once when the authorise URL redirects straight back refusing it, with a hint for its error code', async () => {
    const run = await simulated({ denyAuthorization: 'invalid_scope' });
    expect(run.code).toBe(1);
    expect(run.out).toMatch(
      /✖ consent .* AUTH_DENIED: the provider refused the authorization: invalid_scope \(The user denied access\)/,
    );
    expect(run.out).toContain('OAuth error: invalid_scope — The user denied access');
    expect(run.out).toContain('→ the scope asked for is unknown or not allowed for this client');
    expect(run.out).toMatch(/– exchange\s+not run: an earlier step failed/);
    // Recognised by the probe: the consent itself was never played.
    expect(run.simulator.counts.authorize).toBe(1);
  });

  it("names the endpoints' required variables that keep the call from running, and an --endpoint's as a usage error", async () => {
    const required = '[{ key: item, required: true }]';
    const picked = await simulated({}, required);
    expect(picked.out).toMatch(
      /– call\s+no endpoint enabled for sim-oauth can be called without more values \(me needs item\): pass --endpoint <id> and --var key=… for it/,
    );
    expect(picked.out).not.toContain('no endpoint is enabled');
    const chosen = await simulated({}, required, ['--endpoint', 'me', '--var', 'item=']);
    expect(chosen.out).toMatch(
      /✖ call\s+[\d.]+ m?s\s+item has no value: endpoint "me" needs it\. Give it with --var item=…, SPLICE_VAR_ITEM=… in the environment, or a --var-file line item=…/,
    );
    expect(chosen.out).not.toContain('TEMPLATE_UNRESOLVED');
    expect(chosen.code).toBe(2);
    const given = await simulated({}, required, ['--endpoint', 'me', '--var', 'item=7']);
    expect(given.out).toMatch(/✔ call .* GET me → 200/);
    expect(given.code).toBe(0);
  });

  it('says an expires_in sent empty is present but gives no expiry, not that it is missing', async () => {
    const run = await simulated({ tokenExtras: { expires_in: '' } });
    expect(run.code).toBe(0);
    expect(run.out).toContain('"expires_in": "<string, 0 chars>"');
    expect(run.out).toMatch(
      /! expiry\s+response_expires_in_key = "expires_in": present but empty \(""\), which gives no expiry, so read as an unknown expiry/,
    );
    expect(run.out).toContain('with an unknown expiry, Splice cannot refresh ahead of expiry');
    expect(run.out).not.toContain('not in the response');
    expect(run.out).toMatch(/^! exchange /m);
  });

  it('warns that an expires_in of 0 makes every call refresh first', async () => {
    const run = await simulated({ tokenExtras: { expires_in: 0 } });
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      /! expiry\s+response_expires_in_key = "expires_in": found \(number\) but the token is expired as it arrives/,
    );
    expect(run.out).toContain(
      'Splice treats the token as already expired: it refreshes before every call',
    );
    expect(run.out).not.toContain('fields that could be it: expires_in');
    expect(run.out).toMatch(/^! exchange /m);
    // As the warning says: each of the three calls refreshed first (one forced by the refresh
    // step), where a token with a lifetime is refreshed once.
    expect(run.simulator.counts.refreshToken).toBe(3);
    expect(run.simulator.counts.api).toBe(3);
  });
});

describe('splice auth test: captured values and post-authorization steps', () => {
  const SIGNING_KEY = 'sk_live_captured_9f8e7d6c5b4a';

  // A Xero-like provider: the company id on the callback, an API base and a secret value in the
  // token response, and a `connections` discovery whose chosen tenant goes on every call.
  async function xeroLike(
    discovery: readonly Readonly<Record<string, string>>[],
    extra: string[],
    /** Play a terminal: this answer is typed once the prompt shows. */
    answer?: string,
  ): Promise<{
    code: number;
    out: string;
    err: string;
    simulator: Awaited<ReturnType<typeof startProviderSimulator>>;
  }> {
    const port = await freePort();
    const simulator = await startProviderSimulator({
      redirectUris: [`http://127.0.0.1:${port}/callback`],
      quirks: {
        callbackExtras: { realmId: '9130347596' },
        tokenExtras: { api_region: 'eu-west', signing_key: SIGNING_KEY },
        discovery,
      },
    });
    const file = writeXeroLikeConnector(simulator, { consentCaptures: true });
    const stdout = collect();
    const stderr = collect();
    const stdin = new PassThrough();
    if (answer !== undefined) {
      Object.assign(stdin, { isTTY: true });
      Object.assign(stderr.stream, { isTTY: true });
      stderr.stream.on('data', () => {
        if (answer !== undefined && stderr.text().includes('Choose one')) {
          stdin.write(`${answer}\n`);
          answer = undefined;
        }
      });
    }
    try {
      const code = await runCli(
        ['auth', 'test', file, '-m', 'xero', '--headless', '--port', String(port), ...extra],
        {
          output: { stdout: stdout.stream, stderr: stderr.stream, stdin },
          env: {
            SPLICE_VAR_CLIENT_ID: simulator.clientId,
            SPLICE_VAR_CLIENT_SECRET: simulator.clientSecret,
          },
        },
      );
      return { code, out: stdout.text(), err: stderr.text(), simulator };
    } finally {
      await simulator.close();
    }
  }

  interface Report {
    ok: boolean;
    steps: {
      id: string;
      status: string;
      ms: number;
      summary: string;
      facts?: Record<string, unknown>;
    }[];
  }

  it('shows the values captured at consent and takes the only choice of a post-authorization step', async () => {
    const { code, out, err, simulator } = await xeroLike([TENANTS[0]], []);
    expect(err).toBe('');
    expect(code).toBe(0);
    const steps = out
      .split('\n')
      .filter((line) => /^[✔!✖–] /.test(line))
      .map((line) => line.replace(/\s+/g, ' '));
    expect(steps).toEqual([
      expect.stringMatching(/^✔ consent \d+(\.\d+)? m?s redirect received$/),
      expect.stringMatching(/^✔ exchange \d+(\.\d+)? m?s code exchanged: instance \S+/),
      expect.stringMatching(
        /^✔ post-authorization \d+(\.\d+)? m?s 1 step done: captured tenant_id$/,
      ),
      expect.stringMatching(/^✔ call \d+(\.\d+)? m?s GET me → 200/),
      expect.stringMatching(/^✔ refresh /),
      expect.stringMatching(/^✔ after refresh /),
      '✔ xero works: 6 of 6 steps passed.',
    ]);
    // The consent's values under the exchange, the secret one masked.
    expect(out).toMatch(
      /captured at consent:\n\s+realm_id = "9130347596"\n\s+api_region = "eu-west"\n\s+signing_key = "\[redacted\]"/,
    );
    expect(out).toMatch(/captured:\n\s+tenant_id = "tenant-uk-70784a63"/);
    expect(simulator.counts.discovery).toBe(1);
    // The captured tenant went on the API call.
    const calls = simulator.requests.filter((r) => r.path.endsWith('/me'));
    expect(calls.map((r) => r.headers['xero-tenant-id'])).toEqual([
      'tenant-uk-70784a63',
      'tenant-uk-70784a63',
      'tenant-uk-70784a63',
    ]);
    expect(out).not.toContain(SIGNING_KEY);
    expect(out).not.toContain(simulator.clientSecret);
  });

  it('records the --choose choice among several and reports the steps in --json', async () => {
    const { code, out, err, simulator } = await xeroLike(TENANTS, [
      '--choose',
      'tenant-nz-9a1b2c3d',
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as Report;
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['consent', 'ok'],
      ['exchange', 'ok'],
      ['post-authorization', 'ok'],
      ['call', 'ok'],
      ['refresh', 'ok'],
      ['after-refresh', 'ok'],
    ]);
    expect(report.steps[1]!.facts!['captured']).toEqual({
      realm_id: '9130347596',
      api_region: 'eu-west',
      signing_key: '[redacted]',
    });
    const post = report.steps[2]!;
    expect(Number.isInteger(post.ms)).toBe(true);
    expect(post.facts).toEqual({
      steps: ['tenant'],
      captured: { tenant_id: 'tenant-nz-9a1b2c3d' },
      chosen: [
        {
          stepId: 'tenant',
          id: 'tenant-nz-9a1b2c3d',
          choices: TENANTS.map((t) => ({ id: t.tenantId, label: t.tenantName })),
        },
      ],
      chooseMs: expect.any(Number),
    });
    // The choices were listed for the user on stderr.
    expect(err).toContain('tenant-uk-70784a63  Demo Company (UK)');
    expect(err).toContain('chose tenant-nz-9a1b2c3d for step tenant');
    const calls = simulator.requests.filter((r) => r.path.endsWith('/me'));
    expect(calls.length).toBe(3);
    expect(calls.every((r) => r.headers['xero-tenant-id'] === 'tenant-nz-9a1b2c3d')).toBe(true);
    expect(`${out}${err}`).not.toContain(SIGNING_KEY);
    expect(`${out}${err}`).not.toContain(simulator.clientSecret);
  });

  it('stops with exit code 1 listing the choices under --json without --choose', async () => {
    const { code, out, err, simulator } = await xeroLike(TENANTS, ['--json']);
    expect(code).toBe(1);
    const report = JSON.parse(out) as Report;
    expect(report.ok).toBe(false);
    expect(report.steps.map((s) => [s.id, s.status])).toEqual([
      ['consent', 'ok'],
      ['exchange', 'ok'],
      ['post-authorization', 'failed'],
      ['call', 'skipped'],
      ['refresh', 'skipped'],
      ['after-refresh', 'skipped'],
    ]);
    const post = report.steps[2]!;
    expect(post.summary).toBe(
      'CHOICE_REQUIRED: step tenant offers 2 choices and none was given: tenant-uk-70784a63 (Demo Company (UK)), tenant-nz-9a1b2c3d (Demo Company (NZ))',
    );
    expect(post.facts!['choices']).toEqual(
      TENANTS.map((t) => ({ id: t.tenantId, label: t.tenantName })),
    );
    expect(err).toContain(
      '→ pass --choose <id> with one of: tenant-uk-70784a63, tenant-nz-9a1b2c3d',
    );
    // Nothing was called with an undecided tenant.
    expect(simulator.counts.api).toBe(0);
  });

  it('refuses a --choose id the step does not offer, naming the ones it does', async () => {
    const { code, out } = await xeroLike(TENANTS, ['--choose', 'tenant-xx']);
    expect(code).toBe(1);
    expect(out).toMatch(
      /✖ post-authorization .*CHOICE_REQUIRED: step tenant offers none of --choose tenant-xx; it offers tenant-uk-70784a63 \(Demo Company \(UK\)\)/,
    );
    expect(out).toMatch(/– call\s+not run: an earlier step failed/);
  });

  it('asks on a terminal when no --choose is given', async () => {
    const { code, out, err, simulator } = await xeroLike(TENANTS, [], '2');
    expect(code).toBe(0);
    expect(err).toContain('1) Demo Company (UK) [tenant-uk-70784a63]');
    expect(err).toContain('2) Demo Company (NZ) [tenant-nz-9a1b2c3d]');
    expect(out).toMatch(/✔ post-authorization .*captured tenant_id; choice recorded in \d+ ms/);
    expect(out).toMatch(/captured:\n\s+tenant_id = "tenant-nz-9a1b2c3d"/);
    const calls = simulator.requests.filter((r) => r.path.endsWith('/me'));
    expect(calls.map((r) => r.headers['xero-tenant-id'])).toContain('tenant-nz-9a1b2c3d');
  });

  it('reports a failing post-authorization step as such, after a working exchange', async () => {
    // The user connected no organisation: the discovery answers an empty list.
    const { code, out } = await xeroLike([], []);
    expect(code).toBe(1);
    expect(out).toMatch(/✔ exchange .*code exchanged: instance \S+/);
    expect(out).toMatch(
      /✖ post-authorization .*CAPTURE_INVALID: .*"tenant" offers nothing to choose \(an empty list/,
    );
    expect(out).toMatch(/– call\s+not run: an earlier step failed/);
  });
});
