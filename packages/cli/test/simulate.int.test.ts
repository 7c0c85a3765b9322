// `splice simulate` in process (runCli, stopped through its signal as Ctrl-C would), the printed
// `splice auth test` command run as printed, and the optional peer dependency kept out of the
// bundle.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { connectorFile } from '@splice/connectors';
import { DEFAULT_SIMULATOR_QUIRKS, freePort, providerProfiles } from '@splice/testkit';
import { describe, expect, it } from 'vitest';
import { runCli, type SimulatorDescription, simulateCommand } from '../src/index.js';

function streams() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const text = { out: '', err: '' };
  stdout.on('data', (chunk: Buffer) => {
    text.out += chunk.toString();
  });
  stderr.on('data', (chunk: Buffer) => {
    text.err += chunk.toString();
  });
  return { output: { stdout, stderr, stdin: new PassThrough() }, text };
}

/** Starts `splice simulate` with `args`; resolves with the JSON line once it is printed. */
async function simulate(args: readonly string[]) {
  const { output, text } = streams();
  const controller = new AbortController();
  const exit = runCli(['simulate', ...args, '--json'], { output, signal: controller.signal });
  const description = await new Promise<SimulatorDescription>((resolve, reject) => {
    output.stdout.on('data', () => {
      const line = text.out.split('\n')[0];
      if (text.out.includes('\n') && line !== undefined) resolve(JSON.parse(line));
    });
    void exit.then((code) => reject(new Error(`simulate ended (${code}): ${text.err}`)));
  });
  return {
    description,
    text,
    stop: async (): Promise<number> => {
      controller.abort();
      return exit;
    },
  };
}

describe('splice simulate', () => {
  it('prints the simulator as one JSON object; the auth test command it prints passes as printed; Ctrl-C ends it with 0', async () => {
    const callbackPort = await freePort();
    const run = await simulate([
      'xero',
      '--port',
      '0',
      '--redirect-uri',
      `http://127.0.0.1:${callbackPort}/callback`,
    ]);
    const d = run.description;
    try {
      expect(d.profile).toBe('xero');
      expect(d.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect([d.authorizationUrl, d.tokenUrl, d.discoveryUrl]).toEqual([
        `${d.issuer}/authorize`,
        `${d.issuer}/token`,
        `${d.issuer}/connections`,
      ]);
      // auth test's default redirect URI is always accepted besides the one given.
      expect(d.redirectUris).toEqual([
        `http://127.0.0.1:${callbackPort}/callback`,
        'http://127.0.0.1:8976/callback',
      ]);
      expect(d.replaceUrls).toEqual(
        providerProfiles.xero.replaceUrls({ ...d } as unknown as Parameters<
          typeof providerProfiles.xero.replaceUrls
        >[0]),
      );
      // The built-in definition (@splice/connectors is installed here) and its OAuth 2 method.
      expect(d.authTest.definition).toBe(connectorFile('xero'));
      expect(d.authTest.method).toBe('xero-oauth');
      expect(d.authTest.argv).toEqual(
        expect.arrayContaining([
          '--headless',
          '--port',
          String(callbackPort),
          '--replace-url',
          `https://api.xero.com=${d.issuer}`,
          '--var',
          `client_id=${d.clientId}`,
          '--choose',
          '70784a63-d24b-46a9-a4db-0e70a274b056',
        ]),
      );
      expect(d.authTest.command).toBe(
        `SPLICE_VAR_CLIENT_SECRET=${d.clientSecret} splice ${d.authTest.argv.join(' ')}`,
      );

      const test = streams();
      const code = await runCli([...d.authTest.argv, '--json'], {
        output: test.output,
        env: d.authTest.env,
      });
      const report = JSON.parse(test.text.out) as { ok: boolean; steps: { id: string }[] };
      expect([code, report.ok]).toEqual([0, true]);
      expect(report.steps.map((s) => s.id)).toContain('post-authorization');
      expect(test.text.err).toContain(`URLs re-pointed: https://api.xero.com → ${d.issuer}`);
    } finally {
      expect(await run.stop()).toBe(0);
    }
    // Stopped: the simulator no longer answers.
    await expect(fetch(d.tokenUrl)).rejects.toThrow();
  });

  it('prints the same in text, with the command a shell can run', async () => {
    const { output, text } = streams();
    const controller = new AbortController();
    const exit = runCli(['simulate', 'microsoft-graph', '--port', '0', '--quirk', 'pkce="S256"'], {
      output,
      signal: controller.signal,
    });
    await new Promise<void>((resolve) => {
      output.stdout.on('data', () => {
        if (text.out.includes('Ctrl-C stops the simulator.')) resolve();
      });
    });
    controller.abort();
    expect(await exit).toBe(0);
    expect(text.out).toMatch(/^Simulating microsoft-graph at http:\/\/127\.0\.0\.1:\d+ /);
    expect(text.out).toContain('redirect URI    http://127.0.0.1:8976/callback');
    expect(text.out).toContain('tenant          contoso.onmicrosoft.com  (sample)');
    // Templates are single-quoted for the shell; the secret goes in the environment.
    expect(text.out).toMatch(
      /SPLICE_VAR_CLIENT_SECRET=\S+ splice auth test \S+microsoft-graph\.yaml -m entra-tenant --headless --port 8976 --replace-url 'https:\/\/login\.microsoftonline\.com\/\{\{tenant\}\}\/oauth2\/v2\.0\/authorize=http:\/\/127\.0\.0\.1:\d+\/authorize\?tenant=\{\{tenant\}\}'/,
    );
    expect(text.out).toContain('--var client_id=sim-client --var tenant=contoso.onmicrosoft.com');
    expect(text.out).toContain('  --quirk         pkce="S256"\n');
    expect(text.out).toContain('Simulator stopped.');
  });

  it('lists the profiles, and refuses an unknown one with a did-you-mean (exit 2)', async () => {
    const list = streams();
    expect(await runCli(['simulate', '--list'], { output: list.output })).toBe(0);
    expect(
      list.text.out
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[0]),
    ).toEqual(Object.keys(providerProfiles));
    const json = streams();
    expect(await runCli(['simulate', '--list', '--json'], { output: json.output })).toBe(0);
    const { profiles } = JSON.parse(json.text.out) as {
      profiles: { name: string; documentationUrl: string }[];
    };
    expect(profiles.map((p) => p.name)).toEqual(Object.keys(providerProfiles));
    expect(profiles.every((p) => p.documentationUrl.startsWith('https://'))).toBe(true);
    const badUri = streams();
    expect(
      await runCli(['simulate', 'xero', '--redirect-uri', 'not a url'], { output: badUri.output }),
    ).toBe(2);
    expect(badUri.text.err).toContain('must be an absolute http(s) URL');
    const unknown = streams();
    expect(await runCli(['simulate', 'zohoo'], { output: unknown.output })).toBe(2);
    expect(unknown.text.err).toContain('no profile "zohoo" (did you mean "zoho"?)');
    const none = streams();
    expect(await runCli(['simulate'], { output: none.output })).toBe(2);
    expect(none.text.err).toContain('or pass --list');
  });

  it('sets a quirk over the profile\'s with --quirk: the token endpoint answers "expires_in": null', async () => {
    const run = await simulate([
      'xero',
      '--port',
      '0',
      '--quirk',
      'tokenExtras={"expires_in":null}',
    ]);
    const d = run.description;
    try {
      // The whole value replaces the profile's (its scope extra is gone), as startProviderProfile merges.
      expect(d.quirks['tokenExtras']).toEqual({ expires_in: null });
      expect(d.quirks['clientAuth']).toBe('client_secret_basic');
      // A code as a user's consent gives it (xero: no PKCE, no iss), exchanged as Xero's clients do.
      const redirectUri = 'http://127.0.0.1:8976/callback';
      const authorize = new URL(d.authorizationUrl);
      for (const [key, value] of Object.entries({
        response_type: 'code',
        client_id: d.clientId,
        redirect_uri: redirectUri,
        state: 'st',
      })) {
        authorize.searchParams.set(key, value);
      }
      const consent = await fetch(authorize, { redirect: 'manual' });
      const code = new URL(consent.headers.get('location')!).searchParams.get('code');
      expect(code).toEqual(expect.any(String));
      const answer = await fetch(d.tokenUrl, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${d.clientId}:${d.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: code!,
          redirect_uri: redirectUri,
        }),
      });
      const body = (await answer.json()) as Record<string, unknown>;
      expect(answer.status).toBe(200);
      expect(body).toHaveProperty('access_token');
      expect(body).toHaveProperty('expires_in', null);
    } finally {
      await run.stop();
    }
  });

  it('refuses an unknown --quirk with a did-you-mean, and a value that is not JSON (exit 2)', async () => {
    const unknown = streams();
    expect(
      await runCli(['simulate', 'xero', '--quirk', 'tokenExtra={}'], { output: unknown.output }),
    ).toBe(2);
    expect(unknown.text.err).toContain(
      '--quirk: no quirk "tokenExtra" (did you mean "tokenExtras"?)',
    );
    // The names come from the testkit's defaults, the one list of them.
    expect(unknown.text.err).toContain(
      `the quirks are: ${Object.keys(DEFAULT_SIMULATOR_QUIRKS).join(', ')} (`,
    );
    const bare = streams();
    expect(
      await runCli(['simulate', 'xero', '--quirk', 'denyAuthorization=s3cr3t-looking'], {
        output: bare.output,
      }),
    ).toBe(2);
    expect(bare.text.err).toContain(
      "--quirk denyAuthorization: the value is not JSON (Unexpected token 's'",
    );
    expect(bare.text.err).toContain(`denyAuthorization='"text"'`);
    expect(bare.text.err).not.toContain('s3cr3t');
  });

  it('says what to install when @splice/testkit is missing (exit 2)', async () => {
    const { output, text } = streams();
    const missing = Object.assign(new Error("Cannot find package '@splice/testkit'"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const code = await simulateCommand(
      { profile: 'xero', loadKit: () => Promise.reject(missing) },
      output,
    );
    expect(code).toBe(2);
    expect(text.err).toContain(
      'splice simulate needs @splice/testkit, an optional peer dependency',
    );
    expect(text.err).toContain('npm install --save-dev @splice/testkit');
  });

  it('says --quirk needs the matching @splice/testkit when the installed one lists no quirks (exit 2)', async () => {
    const { output, text } = streams();
    // The installed testkit as one from before the quirk list: its other exports as they are.
    const older = async () => ({
      ...(await import('@splice/testkit')),
      DEFAULT_SIMULATOR_QUIRKS: undefined,
    });
    const code = await simulateCommand(
      { profile: 'xero', quirks: { pkce: '"S256"' }, loadKit: older as never },
      output,
    );
    expect(code).toBe(2);
    expect(text.err).toContain('--quirk needs the @splice/testkit of this splice');
  });

  it('names a port in use (exit 2)', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as { port: number };
    try {
      const { output, text } = streams();
      expect(await runCli(['simulate', 'slack', '--port', String(port)], { output })).toBe(2);
      expect(text.err).toContain(`port ${port} on 127.0.0.1 is in use: pass another with --port`);
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it("keeps auth test's own redirect URI beside one given for elsewhere, and refuses its port as the simulator's (exit 2)", async () => {
    const run = await simulate([
      'github',
      '--port',
      '0',
      '--redirect-uri',
      'http://127.0.0.1:9999/cb',
    ]);
    try {
      expect(run.description.redirectUris).toEqual([
        'http://127.0.0.1:9999/cb',
        'http://127.0.0.1:8976/callback',
      ]);
      // The printed command listens where the simulator will send it back.
      expect(run.description.authTest.argv).toEqual(expect.arrayContaining(['--port', '8976']));
    } finally {
      await run.stop();
    }
    const { output, text } = streams();
    expect(await runCli(['simulate', 'github', '--port', '8976'], { output })).toBe(2);
    expect(text.err).toContain('port 8976 is where the printed splice auth test command listens');
    const missing = streams();
    expect(
      await runCli(['simulate', 'github', '--definition', '/no/such/github.yaml'], {
        output: missing.output,
      }),
    ).toBe(2);
    expect(missing.text.err).toContain('--definition /no/such/github.yaml: no such file');
  });
});

describe('splice auth test --replace-url', () => {
  it('refuses a pair that is not two URLs, naming the side (exit 2)', async () => {
    for (const [value, message] of [
      ['https://a.example', 'expected FROM=TO'],
      ['a.example=http://127.0.0.1:1', 'FROM must be an absolute http(s) URL'],
      ['https://a.example=ftp://127.0.0.1', 'TO must be an absolute http(s) URL'],
    ] as const) {
      const { output, text } = streams();
      const code = await runCli(
        ['auth', 'test', connectorFile('github'), '-m', 'github-oauth', '--replace-url', value],
        { output },
      );
      expect(code).toBe(2);
      expect(text.err).toContain(`option '--replace-url <from=to>' argument`);
      expect(text.err).toContain(message);
    }
  });

  it('refuses a FROM given twice (exit 2): the second TO would silently win', async () => {
    const { output, text } = streams();
    const code = await runCli(
      [
        ...['auth', 'test', connectorFile('github'), '-m', 'github-oauth'],
        ...['--replace-url', 'https://github.com=http://127.0.0.1:1'],
        ...['--replace-url', 'https://github.com=http://127.0.0.1:2'],
      ],
      { output },
    );
    expect(code).toBe(2);
    expect(text.err).toContain('https://github.com is given twice');
  });

  it('refuses a FROM that re-points no URL of the definition, naming it (exit 2)', async () => {
    const { output, text } = streams();
    const code = await runCli(
      [
        'auth',
        'test',
        connectorFile('xero'),
        '-m',
        'xero-oauth',
        '--replace-url',
        'https://api.xeroo.com=http://127.0.0.1:1',
      ],
      { output, env: {} },
    );
    expect(code).toBe(2);
    expect(text.err).toContain('No URL of connector "xero" begins with "https://api.xeroo.com"');
  });

  it('reports a definition the replacement makes invalid (exit 1)', async () => {
    const { output, text } = streams();
    const code = await runCli(
      [
        'auth',
        'test',
        connectorFile('github'),
        '-m',
        'github-oauth',
        '--replace-url',
        'https://github.com/login/oauth/access_token=http://token.example/token',
      ],
      { output, env: { SPLICE_VAR_CLIENT_ID: 'id', SPLICE_VAR_CLIENT_SECRET: 'secret-value' } },
    );
    expect(code).toBe(1);
    expect(text.err).toContain('is invalid once its URLs are re-pointed by --replace-url');
    expect(text.err).toContain('urls.token');
  });
});

describe('the bundled command', () => {
  it('keeps @splice/testkit and @splice/connectors external: loaded by import(), never bundled', () => {
    const dist = new URL('../dist/', import.meta.url);
    const files = [
      'main.js',
      ...readdirSync(new URL('chunks/', dist)).map((name) => `chunks/${name}`),
    ].map((name) => readFileSync(new URL(name, dist), 'utf8'));
    const all = files.join('\n');
    expect(all).toMatch(/import\(\s*["']@splice\/testkit["']\s*\)/);
    // The simulator's code is not in the bundle.
    expect(all).not.toContain('startProviderSimulator');
    expect(all).not.toContain('oidc-provider');
  });
});
