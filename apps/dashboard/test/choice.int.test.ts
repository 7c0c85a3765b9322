// Post-authorization choices in Chromium: a Xero-style connector whose consent is followed by a
// discovery step offering two organisations, with values captured from the callback and the
// token response (one of them secret), against the testkit's provider simulator.
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MemoryStore, parseConnector } from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { builtInStrategies } from '@splice/strategies/built-in';
import { checkChromium, type ProviderSimulator, startProviderSimulator } from '@splice/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../src/index.js';
import {
  freePort,
  launchChromium,
  recordingContext,
  storedCredentialValues,
} from './support/browser.js';

const SCREENSHOT = new URL('../artifacts/dashboard-choice.png', import.meta.url);

const tenant = (id: string, name: string) => ({
  id: `c-${id}`,
  tenantId: id,
  tenantName: name,
  tenantType: 'ORGANISATION',
});

const chromiumCheck = checkChromium();

describe.skipIf(!chromiumCheck.available)(
  `dashboard post-authorization choices in Chromium${chromiumCheck.reason}`,
  { timeout: 120_000 },
  () => {
    let sim: ProviderSimulator;
    let forbidden: Server;
    let runtime: ReturnType<typeof createRuntime>;
    let dashboard: Dashboard;
    let browser: Browser;
    const store = new MemoryStore();
    const signingKey = `sk_live_${randomBytes(12).toString('hex')}`;
    // Every dashboard page the browser received, to prove no secret or token ever reached one.
    const pages: string[] = [];
    let instanceId = '';

    const openContext = (): Promise<BrowserContext> =>
      recordingContext(browser, () => dashboard.url, pages);

    const status = (page: Page) =>
      page.locator('.instance-head [data-status]').getAttribute('data-status');
    const choiceIds = async (page: Page) =>
      Promise.all(
        (await page.locator('#choice [data-choice-id]').all()).map((c) =>
          c.getAttribute('data-choice-id'),
        ),
      );
    const instanceUrl = () => `${dashboard.url}/instances/${encodeURIComponent(instanceId)}`;

    beforeAll(async () => {
      const port = await freePort();
      const callbackUrl = `http://127.0.0.1:${port}/oauth/callback`;
      sim = await startProviderSimulator({ redirectUris: [callbackUrl] });
      const strategies = builtInStrategies();
      // The step of ledger-down is refused (403) after the consent.
      forbidden = createServer((_req, res) => {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end('{"error":"forbidden"}');
      });
      await new Promise<void>((resolve) => forbidden.listen(0, '127.0.0.1', resolve));
      const forbiddenPort = (forbidden.address() as AddressInfo).port;
      const connector = parseConnector(
        {
          id: 'ledger',
          name: 'Ledger',
          version: 1,
          authMethods: [
            {
              id: 'ledger-oauth',
              name: 'Ledger sign-in',
              type: 'oauth2-authorization-code',
              urls: { authorise: sim.authorizationUrl, token: sim.tokenUrl },
              captured: [
                { key: 'region', from: 'callback', field: 'region' },
                { key: 'signing_key', from: 'token', field: 'signing_key', secret: true },
              ],
              // Xero's connections: https://developer.xero.com/documentation/guides/oauth2/auth-flow#5-check-the-tenants-youre-authorized-to-access
              postAuthorization: [
                {
                  id: 'tenant',
                  url: sim.discoveryUrl,
                  choices: { id: 'tenantId', label: 'tenantName' },
                  captured: [{ key: 'tenant_id', field: 'tenantId' }],
                },
              ],
            },
            {
              id: 'ledger-down',
              name: 'Ledger sign-in, discovery down',
              type: 'oauth2-authorization-code',
              urls: { authorise: sim.authorizationUrl, token: sim.tokenUrl },
              postAuthorization: [
                {
                  id: 'tenant',
                  url: `http://127.0.0.1:${forbiddenPort}/connections`,
                  choices: { id: 'tenantId', label: 'tenantName' },
                  captured: [{ key: 'tenant_id', field: 'tenantId' }],
                },
              ],
            },
          ],
          endpoints: [
            {
              id: 'invoices',
              name: 'Invoices',
              method: 'GET',
              authMethods: ['ledger-oauth'],
              url: `${sim.apiUrl}/api.xro/2.0/Invoices`,
              request: { headers: { 'xero-tenant-id': '{{tenant_id}}' } },
            },
          ],
        },
        { strategies },
      );
      runtime = createRuntime({ connectors: [connector], strategies, store, callbackUrl });
      dashboard = await startDashboard({ runtime, port });
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
      await runtime?.close();
      await sim?.close();
      await new Promise((resolve) => forbidden?.close(resolve));
    }, 120_000);

    it('lands on the choice after consent, refuses a wrong or stale choice, and activates on a valid one', async () => {
      sim.setQuirks({
        callbackExtras: { region: 'eu-west' },
        tokenExtras: { signing_key: signingKey },
        discovery: [tenant('t-1', 'Demo UK'), tenant('t-2', 'Demo US')],
      });
      const context = await openContext();
      const page = await context.newPage();
      await page.goto(`${dashboard.url}/?connector=ledger&method=ledger-oauth`);
      await page.fill('#instance-name', 'Ledger books');
      await page.fill('#var-client_id', sim.clientId);
      await page.fill('#var-client_secret', sim.clientSecret);
      await page.click('button:has-text("Authorise")');

      // The simulator consents at once and redirects back: the user lands on the choice.
      await page.waitForURL(new RegExp(`^${dashboard.url}/instances/[^/?]+\\?choose=1#choice$`));
      instanceId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
      expect(await status(page)).toBe('pending_choice');
      expect(await page.locator('#choice-title').textContent()).toBe(
        'Choose the organisation this instance works with',
      );
      expect(await choiceIds(page)).toEqual(['t-1', 't-2']);
      expect(await page.locator('#choice [data-choice-id="t-2"] .choice-label').textContent()).toBe(
        'Demo US',
      );
      expect(await page.locator('#choice [data-choice-id="t-2"] .choice-id').textContent()).toBe(
        't-2',
      );
      // Captured at consent: the callback's region shown, the secret one masked.
      expect(await page.locator('#captured [data-captured="region"] td').textContent()).toBe(
        'eu-west',
      );
      expect(await page.locator('#captured [data-captured="signing_key"] td').textContent()).toBe(
        'hidden',
      );
      expect(await page.locator('#captured [data-captured="tenant_id"]').count()).toBe(0);
      await mkdir(new URL('.', SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });

      // An endpoint call before choosing says what to do, and sends nothing to the API.
      await page.locator('#endpoint-invoices button[type="submit"]').click();
      await page.waitForSelector('#endpoint-invoices .result .alert-error');
      expect(await page.locator('#endpoint-invoices .code').textContent()).toBe('CHOICE_REQUIRED');
      expect(sim.counts.api).toBe(0);

      // A choice the instance does not offer (a tampered form): refused in the user's words.
      await page.locator('#choice [data-choice-id="t-1"] input').check();
      await page
        .locator('#choice [data-choice-id="t-1"] input')
        .evaluate((input) => input.setAttribute('value', 't-9'));
      await page.click('[data-action="choose"]');
      await page.waitForSelector('.alert-error');
      expect(await page.locator('.alert-error .code').first().textContent()).toBe('CHOICE_INVALID');
      expect(await page.locator('.alert-error .alert-summary').first().textContent()).toContain(
        'That choice is not on offer',
      );
      expect(await status(page)).toBe('pending_choice');

      // A second tab still shows the choice when the first one makes it: its form is stale.
      const stale = await context.newPage();
      await stale.goto(instanceUrl());
      await page.goto(instanceUrl());
      await page.locator('#choice [data-choice-id="t-2"] input').check();
      await page.click('[data-action="choose"]');
      await page.waitForURL(`${instanceUrl()}?chosen=1`);
      expect(await status(page)).toBe('active');
      expect(await page.locator('#choice').count()).toBe(0);
      expect(await page.locator('.alert-success').textContent()).toContain('Choice saved');
      expect(await page.locator('#captured [data-captured="tenant_id"] td').textContent()).toBe(
        't-2',
      );

      await stale.locator('#choice [data-choice-id="t-1"] input').check();
      await stale.click('[data-action="choose"]');
      await stale.waitForSelector('.alert-error');
      expect(await stale.locator('.alert-error .code').first().textContent()).toBe(
        'CHOICE_INVALID',
      );
      expect(await status(stale)).toBe('active');

      // The chosen organisation goes out on the call.
      await page.locator('#endpoint-invoices button[type="submit"]').click();
      await page.waitForSelector('#endpoint-invoices .result [data-status]');
      expect(
        await page.locator('#endpoint-invoices [data-status]').getAttribute('data-status'),
      ).toBe('200');
      const sent = sim.requests.filter((r) => r.path.includes('/Invoices'));
      expect(sent.map((r) => r.headers['xero-tenant-id'])).toEqual(['t-2']);
      await context.close();
    });

    it('runs the post-authorization steps again and asks again when there are several', async () => {
      const context = await openContext();
      const page = await context.newPage();
      await page.goto(instanceUrl());

      // One organisation now: taken without asking.
      sim.setQuirks({ discovery: [tenant('t-1', 'Demo UK')] });
      const before = sim.counts.discovery;
      await page.click('[data-action="rerun"]');
      await page.waitForURL(`${instanceUrl()}?rerun=1`);
      expect(sim.counts.discovery).toBe(before + 1);
      expect(await status(page)).toBe('active');
      expect(await page.locator('#captured [data-captured="tenant_id"] td').textContent()).toBe(
        't-1',
      );

      // Another organisation connected: the choice comes back.
      sim.setQuirks({ discovery: [tenant('t-1', 'Demo UK'), tenant('t-3', 'New Co')] });
      await page.click('[data-action="rerun"]');
      await page.waitForURL(`${instanceUrl()}?choose=1#choice`);
      expect(await status(page)).toBe('pending_choice');
      expect(await choiceIds(page)).toEqual(['t-1', 't-3']);
      await page.locator('#choice [data-choice-id="t-3"] input').check();
      await page.click('[data-action="choose"]');
      await page.waitForURL(`${instanceUrl()}?chosen=1`);
      expect(await page.locator('#captured [data-captured="tenant_id"] td').textContent()).toBe(
        't-3',
      );
      await context.close();
    });

    it('shows an instance whose provider listed nothing as not set up, and finishes it by running the steps again', async () => {
      sim.setQuirks({ discovery: [] });
      const context = await openContext();
      const page = await context.newPage();
      await page.goto(`${dashboard.url}/?connector=ledger&method=ledger-oauth`);
      await page.fill('#instance-name', 'Ledger empty');
      await page.fill('#var-client_id', sim.clientId);
      await page.fill('#var-client_secret', sim.clientSecret);
      await page.click('button:has-text("Authorise")');

      // The consent's credentials are kept: the callback shows the saved instance, not the form.
      await page.waitForSelector('.instance-head');
      expect(await page.locator('#instance-title').textContent()).toBe('Ledger empty');
      expect(await status(page)).toBe('pending_choice');
      expect(await page.locator('.alert-error .code').first().textContent()).toBe(
        'CAPTURE_INVALID',
      );
      expect(await page.locator('.alert-error .alert-summary').first().textContent()).toContain(
        'nothing to choose from',
      );
      expect(await page.locator('#choice-title').textContent()).toBe('Setup not finished');
      expect(await page.locator('#choice [data-choice-id]').count()).toBe(0);
      const emptyId = await page.locator('.instance-id').textContent();

      sim.setQuirks({ discovery: [tenant('t-4', 'Only Co')] });
      await page.click('[data-action="rerun"]');
      await page.waitForURL(
        `${dashboard.url}/instances/${encodeURIComponent(emptyId ?? '')}?rerun=1`,
      );
      expect(await status(page)).toBe('active');
      expect(await page.locator('#captured [data-captured="tenant_id"] td').textContent()).toBe(
        't-4',
      );
      await context.close();
    });

    it("shows the saved instance, not the form, when a step's request is refused after the consent", async () => {
      const context = await openContext();
      const page = await context.newPage();
      await page.goto(`${dashboard.url}/?connector=ledger&method=ledger-down`);
      await page.fill('#instance-name', 'Ledger unreachable');
      await page.fill('#var-client_id', sim.clientId);
      await page.fill('#var-client_secret', sim.clientSecret);
      await page.click('button:has-text("Authorise")');

      await page.waitForSelector('.instance-head');
      expect(await page.locator('#instance-title').textContent()).toBe('Ledger unreachable');
      expect(await status(page)).toBe('pending_choice');
      expect(await page.locator('#choice-title').textContent()).toBe('Setup not finished');
      await context.close();
    });

    it('never puts the client secret, a secret captured value or a token into a page', async () => {
      const tokens = [
        ...(await storedCredentialValues(store, 'access_token')),
        ...(await storedCredentialValues(store, 'refresh_token')),
      ];
      const secrets = [sim.clientSecret, signingKey, ...tokens];
      expect(tokens.length).toBe(6);
      expect(secrets.every((s) => s.length >= 8)).toBe(true);
      expect(pages.length).toBeGreaterThan(5);
      for (const html of pages) for (const secret of secrets) expect(html).not.toContain(secret);
    });
  },
);
