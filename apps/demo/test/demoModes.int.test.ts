import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { completeConsent } from '@splice/testkit';
import { describe, expect, it } from 'vitest';
import { runDemo, type StartDashboard } from '../src/runDemo.js';

function capture(): {
  stream: PassThrough;
  text: () => string;
  waitFor: (re: RegExp) => Promise<RegExpMatchArray>;
} {
  const stream = new PassThrough();
  let text = '';
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const waiter of [...waiters]) {
      const match = text.match(waiter.re);
      if (match !== null) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(match);
      }
    }
  });
  return {
    stream,
    text: () => text,
    waitFor: (re) =>
      new Promise((resolve) => {
        const match = text.match(re);
        if (match !== null) resolve(match);
        else waiters.push({ re, resolve });
      }),
  };
}

function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('runDemo', () => {
  it('with browser, prints the authorise URL and completes when the browser comes back', async () => {
    const out = capture();
    const demo = runDemo({
      stateDir: mkdtempSync(join(tmpdir(), 'splice-browser-')),
      browser: true,
      stdout: out.stream,
    });
    const [, authorizationUrl] = await out.waitFor(/^ {2}(http:\/\/127\.0\.0\.1:\d+\/auth\?\S+)$/m);
    const [, callbackUrl] = await out.waitFor(/Waiting for the redirect to (\S+) /);
    // The user's browser: the consent pages, then the redirect to the demo's callback server.
    const redirect = await completeConsent(authorizationUrl!);
    expect(redirect.startsWith(`${callbackUrl}?`)).toBe(true);
    const page = await fetch(redirect);
    expect(await page.text()).toContain('Redirect received');
    const summary = await demo;
    expect(summary.instances[0]).toMatchObject({ authMethodId: 'acme-oauth', origin: 'consent' });
    expect(summary.refresh).toMatchObject({
      refreshGrants: 1,
      clientCredentialsGrants: 1,
      rejectedRequests: 2,
      succeeded: true,
    });
    expect(out.text()).toContain('the browser came back to the callback server');
    expect(await accepts(callbackUrl!)).toBe(false);
  });

  it('stops cleanly when aborted while waiting for the browser (Ctrl-C)', async () => {
    const out = capture();
    const controller = new AbortController();
    const demo = runDemo({
      stateDir: mkdtempSync(join(tmpdir(), 'splice-abort-')),
      browser: true,
      stdout: out.stream,
      signal: controller.signal,
    });
    const [, callbackUrl] = await out.waitFor(/Waiting for the redirect to (\S+) /);
    const [, issuer] = out.text().match(/issuer (\S+)/)!;
    const [, api] = out.text().match(/3\. Start the Acme API.*\n\s+(\S+)/)!;
    controller.abort(new Error('Ctrl-C'));
    await expect(demo).rejects.toThrow('Ctrl-C');
    for (const url of [callbackUrl!, issuer!, api!]) expect(await accepts(url)).toBe(false);
  });

  it('with ui, serves the dashboard on the runtime until aborted, then closes it', async () => {
    const out = capture();
    const controller = new AbortController();
    let closed = false;
    let received: Parameters<StartDashboard>[0] | undefined;
    const startDashboard: StartDashboard = async (options) => {
      received = options;
      return {
        url: `http://127.0.0.1:${options.port}`,
        close: async () => {
          closed = true;
        },
      };
    };
    const demo = runDemo({
      stateDir: mkdtempSync(join(tmpdir(), 'splice-ui-')),
      ui: true,
      startDashboard,
      stdout: out.stream,
      signal: controller.signal,
    });
    await out.waitFor(/Press Ctrl-C to stop/);
    expect(received?.connectors.map((c) => c.id)).toEqual(['acme']);
    expect(received?.host).toBe('127.0.0.1');
    // The dashboard gets the demo's own runtime, with the instances the demo added.
    expect((await received!.runtime.listInstances()).map((i) => i.authMethodId).sort()).toEqual([
      'acme-basic',
      'acme-ledger-oauth1',
      'acme-ledger-tba',
      'acme-oauth',
      'acme-service',
      'acme-token',
    ]);
    expect(closed).toBe(false);
    controller.abort();
    const summary = await demo;
    expect(summary.dashboardUrl).toBe(`http://127.0.0.1:${received?.port}`);
    expect(closed).toBe(true);
  });

  // Any connector file, with method ids of its own and every method type Splice ships.
  const OTHER_CONNECTOR = `
id: ledger
name: Ledger
version: "3"
variables: [{ key: tenant, label: Tenant, required: true }]
authMethods:
  - id: ledger-sign-in
    name: Ledger sign-in
    type: oauth2-authorization-code
    urls: { authorise: "https://id.ledger.example/authorize", token: "https://id.ledger.example/token" }
  - { id: ledger-key, name: Ledger key, type: token }
  - { id: ledger-basic, name: Ledger user, type: basic }
  - id: ledger-oauth1
    name: Ledger OAuth 1
    type: oauth1
    urls:
      request_token: "https://id.ledger.example/oauth/request_token"
      authorise: "https://id.ledger.example/oauth/authorize"
      access_token: "https://id.ledger.example/oauth/access_token"
endpoints:
  - id: list-entries
    name: List entries
    direction: receive
    method: GET
    url: "https://api.ledger.example/{{tenant}}/entries"
    dataType: json
    authMethods: [ledger-sign-in, ledger-key, ledger-basic, ledger-oauth1]
`;

  it('with ui and another connector file, serves it in the dashboard with every method type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'splice-other-'));
    const connectorPath = join(dir, 'ledger.yaml');
    writeFileSync(connectorPath, OTHER_CONNECTOR);
    const out = capture();
    const controller = new AbortController();
    const demo = runDemo({
      stateDir: join(dir, 'state'),
      connectorPath,
      ui: true,
      stdout: out.stream,
      signal: controller.signal,
    });
    const [, url] = await out.waitFor(/Dashboard on (\S+)\. Press Ctrl-C to stop/);
    expect(out.text()).toContain('no scripted run');
    for (const method of ['ledger-sign-in', 'ledger-key', 'ledger-basic', 'ledger-oauth1']) {
      const page = await fetch(`${url}/?connector=ledger&method=${method}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('id="var-tenant"');
      expect(html).not.toContain('AUTH_METHOD_NOT_FOUND');
    }
    controller.abort();
    const summary = await demo;
    expect(summary).toMatchObject({ instances: [], dashboardUrl: url });
    expect(await accepts(url!)).toBe(false);
  });

  it('without ui, explains that another connector file needs --ui', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'splice-other-'));
    const connectorPath = join(dir, 'ledger.yaml');
    writeFileSync(connectorPath, OTHER_CONNECTOR);
    await expect(
      runDemo({ stateDir: join(dir, 'state'), connectorPath, stdout: new PassThrough() }),
    ).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('Add --ui'),
    });
  });
});

describe('pnpm demo --ui', () => {
  it('stops on Ctrl-C with exit code 0 and no pnpm failure line', async () => {
    const root = new URL('../../../', import.meta.url).pathname;
    // A terminal's Ctrl-C: SIGINT to the whole foreground process group (pnpm, and the demo
    // under it), so the child runs in a group of its own that the test can signal.
    const child = spawn(
      'pnpm',
      [
        'demo',
        '--ui',
        '--port',
        '0',
        '--state-dir',
        mkdtempSync(join(tmpdir(), 'splice-ui-ctrlc-')),
      ],
      { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C to stop')) resolve();
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', () => reject(new Error(`the demo ended before serving:\n${output}`)));
    });
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).not.toContain('ELIFECYCLE');
    expect(output).toContain('Stopping: closing the servers and the store');
  }, 180_000);
});
