import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConnector } from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { builtInStrategies } from '@splice/strategies/built-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../src/index.js';

const API_KEY = 'k3y-6c1f0a9e-echoed-secret';

// An API that echoes the credential it was sent, under names the dashboard cannot guess: as is,
// base64-encoded, and in a response header.
function startEchoApi(): Promise<Server> {
  const server = createServer((req, res) => {
    const key = String(req.headers['x-api-key'] ?? '');
    res.writeHead(200, { 'content-type': 'application/json', 'x-echo': key });
    res.end(
      JSON.stringify({
        you_sent: key,
        nested: { b64: Buffer.from(key).toString('base64') },
        note: `received ${key}`,
      }),
    );
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('a call whose answer echoes the credential', () => {
  const strategies = builtInStrategies();
  let api: Server;
  let runtime: ReturnType<typeof createRuntime>;
  let dashboard: Dashboard;
  let instanceId: string;

  beforeAll(async () => {
    api = await startEchoApi();
    const origin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const connector = parseConnector(
      {
        id: 'echo',
        name: 'Echo',
        version: '1',
        authMethods: [
          {
            id: 'key',
            name: 'API key',
            type: 'token',
            apply: { headers: { 'X-Api-Key': '{{token}}' } },
            urls: { test: `${origin}/me` },
          },
        ],
        endpoints: [
          {
            id: 'whoami',
            name: 'Who am I',
            method: 'GET',
            url: `${origin}/whoami`,
            dataType: 'json',
            authMethods: ['key'],
          },
        ],
      },
      { strategies },
    );
    runtime = createRuntime({ connectors: [connector], strategies });
    instanceId = (
      await runtime.addInstance({
        connectorId: 'echo',
        authMethodId: 'key',
        name: 'Echo',
        variables: { token: API_KEY },
      })
    ).id;
    dashboard = await startDashboard({ runtime });
  });

  afterAll(async () => {
    await dashboard?.close();
    await runtime?.close();
    await new Promise((resolve) => api?.close(resolve));
  });

  it('shows the answer with every secret value of the instance scrubbed, whatever its name or encoding', async () => {
    const page = await (await fetch(`${dashboard.url}/instances/${instanceId}`)).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    expect(csrf).toBeDefined();
    const response = await fetch(`${dashboard.url}/instances/${instanceId}/endpoints/whoami`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: csrf! }),
    });
    const shown = await response.text();
    expect(shown).toContain('you_sent');
    expect(shown).toContain('x-echo');
    expect(shown).toContain('[redacted]');
    expect(shown).not.toContain(API_KEY);
    expect(shown).not.toContain(Buffer.from(API_KEY).toString('base64'));
  });
});
