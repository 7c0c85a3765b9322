import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { parseConnectorText } from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { builtInStrategies } from '@splice/strategies/built-in';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../src/index.js';

// The authorise step only builds a URL, so no provider has to run for these checks.
const AUTH = 'http://127.0.0.1:9';
const API = 'http://127.0.0.1:9';
const BOOKS = 'http://127.0.0.1:9';

async function csrfOf(dashboard: Dashboard, path: string): Promise<string> {
  const page = await (await fetch(`${dashboard.url}${path}`)).text();
  const token = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
  if (token === undefined) throw new Error(`no form token on ${path}`);
  return token;
}

describe('startDashboard over HTTP (no browser)', () => {
  const strategies = builtInStrategies();
  let runtime: ReturnType<typeof createRuntime>;
  let dashboard: Dashboard;

  beforeAll(async () => {
    const text = (await readFile(new URL('./fixtures/crm.yaml', import.meta.url), 'utf8'))
      .replaceAll('__AUTH__', AUTH)
      .replaceAll('__API__', API)
      .replaceAll('__BOOKS__', BOOKS);
    // Parsed WITHOUT the strategies, and the dashboard gets the runtime's own connector list.
    const connector = parseConnectorText(text, 'yaml');
    runtime = createRuntime({
      connectors: [connector],
      strategies,
      callbackUrl: 'http://127.0.0.1:1/elsewhere',
    });
    dashboard = await startDashboard({ runtime });
  });

  afterAll(async () => {
    await dashboard?.close();
    await runtime?.close();
  });

  it('completes the form with the strategies’ defaults when the connector was parsed without them', async () => {
    const form = await (await fetch(`${dashboard.url}/?connector=crm&method=crm-oauth`)).text();
    expect(form).toContain('name="v.client_id"');
    expect(form).toMatch(/<input id="var-client_secret" name="v.client_secret" type="password"/);
    expect(form).toContain(
      `name="v.callback_url" type="text"\n    value="${dashboard.callbackUrl}"`,
    );
  });

  it('sends the provider back to the dashboard, not to the runtime’s callbackUrl', async () => {
    const body = new URLSearchParams({
      csrf: await csrfOf(dashboard, '/?connector=crm&method=crm-oauth'),
      connectorId: 'crm',
      authMethodId: 'crm-oauth',
      name: 'No strategies',
      'v.account': 'northwind',
      'v.client_id': 'app',
      'v.client_secret': 'a-client-secret',
    });
    const response = await fetch(`${dashboard.url}/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: dashboard.url },
      body,
      redirect: 'manual',
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(`${AUTH}/auth`);
    expect(location.searchParams.get('redirect_uri')).toBe(dashboard.callbackUrl);
    expect(location.searchParams.get('client_id')).toBe('app');
  });

  it('offers Authorise for the redirect flows and Add instance for every other built-in type', async () => {
    const button = async (method: string): Promise<string | undefined> => {
      const page = await (await fetch(`${dashboard.url}/?connector=crm&method=${method}`)).text();
      return /<button type="submit" class="button button-primary">([^<]+)<\/button>/.exec(
        page,
      )?.[1];
    };
    const labels: Record<string, string | undefined> = {};
    for (const method of [
      'crm-oauth',
      'books-oauth1',
      'crm-token',
      'crm-basic',
      'crm-service',
      'books-tba',
    ])
      labels[method] = await button(method);
    expect(labels).toEqual({
      'crm-oauth': 'Authorise',
      'books-oauth1': 'Authorise',
      'crm-token': 'Add instance',
      'crm-basic': 'Add instance',
      'crm-service': 'Add instance',
      'books-tba': 'Add instance',
    });
  });

  it('answers a missing required variable with the form and VARIABLE_MISSING', async () => {
    const body = new URLSearchParams({
      csrf: await csrfOf(dashboard, '/?connector=crm&method=crm-oauth'),
      connectorId: 'crm',
      authMethodId: 'crm-oauth',
      name: 'Missing',
      'v.account': 'northwind',
      'v.client_secret': 'a-client-secret',
    });
    const response = await fetch(`${dashboard.url}/instances`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('VARIABLE_MISSING');
    expect(page).toContain('client_id');
    expect(page).not.toContain('a-client-secret');
  });

  it('refuses a post from another origin and a request for another host name', async () => {
    const crossSite = await fetch(`${dashboard.url}/instances`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://evil.example',
      },
      body: new URLSearchParams({
        csrf: await csrfOf(dashboard, '/?connector=crm&method=crm-oauth'),
        connectorId: 'crm',
      }),
    });
    expect(crossSite.status).toBe(403);
    // fetch() may not set Host; a DNS-rebinding page's requests carry the attacker's name.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(dashboard.url, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('lists the runtime’s connectors when none are given and shows an unknown instance as 404', async () => {
    const home = await (await fetch(dashboard.url)).text();
    expect(home).toContain('Northwind CRM');
    const missing = await fetch(`${dashboard.url}/instances/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('INSTANCE_NOT_FOUND');
  });
});
