// Every built-in connector of @splice/connectors in the dashboard, against its provider profile
// of the testkit's simulator, in one Chromium: the definitions as shipped, re-pointed with the
// profile's replaceUrls, an instance added through the page (consent through the simulator, the
// choice when a post-authorization step offers several), one receive endpoint called, the token
// status shown. A connector added to CONNECTOR_NAMES is picked up here without an edit.

import { CONNECTOR_NAMES, loadBuiltInConnector } from '@splice/connectors';
import { MemoryStore } from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { builtInStrategies } from '@splice/strategies/built-in';
import {
  checkChromium,
  type ProviderProfile,
  type ProviderSimulator,
  providerProfiles,
  startProviderProfile,
} from '@splice/testkit';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../src/index.js';
import {
  freePort,
  launchChromium,
  recordingContext,
  storedCredentialValues,
} from './support/browser.js';

const chromiumCheck = checkChromium();
const profiles = providerProfiles as Readonly<Record<string, ProviderProfile>>;

describe.skipIf(!chromiumCheck.available)(
  `dashboard with every built-in connector against its profile${chromiumCheck.reason}`,
  { timeout: 120_000 },
  () => {
    const sims = new Map<string, ProviderSimulator>();
    const store = new MemoryStore();
    const pages: string[] = [];
    let runtime: ReturnType<typeof createRuntime>;
    let dashboard: Dashboard;
    let browser: Browser;
    let context: BrowserContext;

    beforeAll(async () => {
      const missing = CONNECTOR_NAMES.filter((name) => !Object.hasOwn(profiles, name));
      if (missing.length > 0) {
        throw new Error(`@splice/testkit has no provider profile for ${missing.join(', ')}`);
      }
      const port = await freePort();
      const callbackUrl = `http://127.0.0.1:${port}/oauth/callback`;
      const strategies = builtInStrategies();
      const connectors = [];
      for (const name of CONNECTOR_NAMES) {
        const profile = profiles[name]!;
        const sim = await startProviderProfile(profile, { redirectUris: [callbackUrl] });
        sims.set(name, sim);
        connectors.push(
          loadBuiltInConnector(name, { strategies, replaceUrls: profile.replaceUrls(sim) }),
        );
      }
      runtime = createRuntime({ connectors, strategies, store, callbackUrl });
      dashboard = await startDashboard({ runtime, port });
      browser = await launchChromium();
      context = await recordingContext(browser, () => dashboard.url, pages);
    }, 120_000);

    afterAll(async () => {
      await context?.close();
      await browser?.close();
      await dashboard?.close();
      await runtime?.close();
      for (const sim of sims.values()) await sim.close();
    }, 120_000);

    it.each([...CONNECTOR_NAMES])(
      '%s: add an instance through consent, call a receive endpoint, see the token status',
      async (name) => {
        const profile = profiles[name]!;
        const sim = sims.get(name)!;
        const connector = runtime.listConnectors().find((c) => c.id === name)!;
        expect(connector, `${name} is offered`).toBeDefined();
        const method = connector.authMethods.find((m) => m.type === 'oauth2-authorization-code')!;
        const endpoint = connector.endpoints.find(
          (e) =>
            e.direction === 'receive' &&
            e.authMethods.includes(method.id) &&
            e.variables.every((v) => v.required !== true || v.default !== undefined),
        );
        expect(endpoint, `${name} has a receive endpoint needing no input`).toBeDefined();

        const page = await context.newPage();
        await page.goto(`${dashboard.url}/?connector=${name}&method=${method.id}`);
        await page.fill('#instance-name', `${connector.name} on its simulator`);
        await page.fill('#var-client_id', sim.clientId);
        await page.fill('#var-client_secret', sim.clientSecret);
        for (const [key, value] of Object.entries(profile.sampleVariables ?? {})) {
          await page.fill(`#var-${key}`, value);
        }
        await page.click('button:has-text("Authorise")');

        // The simulator consents at once: back on the instance, or on its choice first.
        await page.waitForURL(
          new RegExp(`^${dashboard.url}/instances/[^/?]+\\?(added=1|choose=1#choice)$`),
        );
        if (page.url().endsWith('#choice')) {
          const choice = profile.sampleChoices?.[0];
          if (choice === undefined) {
            throw new Error(`${name} offers a choice: its profile must name one (sampleChoices)`);
          }
          await page.locator(`#choice [data-choice-id="${choice}"] input`).check();
          await page.click('[data-action="choose"]');
          await page.waitForURL(/\?chosen=1$/);
        }
        expect(await page.locator('.instance-head [data-status]').getAttribute('data-status')).toBe(
          'active',
        );
        expect(sim.counts.authorizationCode).toBe(1);

        const card = page.locator(`#endpoint-${endpoint!.id}`);
        await card.locator('button[type="submit"]').click();
        await page.waitForSelector(`#endpoint-${endpoint!.id} .result [data-status]`);
        expect(await card.locator('.result [data-status]').getAttribute('data-status')).toBe('200');
        expect(sim.counts.api).toBeGreaterThanOrEqual(1);

        const status = page.locator('#token-status');
        expect(
          await status.locator('[data-credential-state]').getAttribute('data-credential-state'),
        ).toBe('valid');
        expect(await status.locator('[data-fact="refreshable"] dd').textContent()).toBe('held');
        await page.close();
      },
    );

    it('never put a client secret or a token into a page', async () => {
      const tokens = [
        ...(await storedCredentialValues(store, 'access_token')),
        ...(await storedCredentialValues(store, 'refresh_token')),
      ];
      expect(tokens.length).toBe(2 * CONNECTOR_NAMES.length);
      const secrets = [...[...sims.values()].map((sim) => sim.clientSecret), ...tokens];
      for (const html of pages) for (const secret of secrets) expect(html).not.toContain(secret);
    });
  },
);
