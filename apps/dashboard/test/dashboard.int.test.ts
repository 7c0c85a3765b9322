import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import {
  type ConnectorDefinition,
  type Credentials,
  type JsonObject,
  MemoryStore,
  parseConnectorText,
  storeKeys,
} from '@splice/core';
import { createRuntime } from '@splice/endpoint-runtime';
import { encodeBasicCredentials } from '@splice/strategies/basic';
import { builtInStrategies } from '@splice/strategies/built-in';
import {
  type AuthorizationServer,
  checkChromium,
  type OAuth1Provider,
  type ResourceServer,
  startAuthorizationServer,
  startOAuth1Provider,
  startResourceServer,
} from '@splice/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../src/index.js';
import { crmRoutes } from './fixtures/crmRoutes.js';
import {
  freePort,
  launchChromium,
  recordingContext,
  storedCredentialValues,
} from './support/browser.js';

const ARTIFACTS = new URL('../artifacts/', import.meta.url);
const SCREENSHOT = new URL('dashboard.png', ARTIFACTS);
const FORM_SCREENSHOT = new URL('dashboard-form.png', ARTIFACTS);
const TOKEN_SCREENSHOT = new URL('dashboard-token-status.png', ARTIFACTS);
const CLIENT_ID = 'northwind-dashboard';

const chromiumCheck = checkChromium();

// A browser, oidc-provider and four servers share two CPU cores with other suites: generous limits.
describe.skipIf(!chromiumCheck.available)(
  `connector dashboard in Chromium${chromiumCheck.reason}`,
  { timeout: 120_000 },
  () => {
    let auth: AuthorizationServer;
    let api: ResourceServer;
    let books: OAuth1Provider;
    let runtime: ReturnType<typeof createRuntime>;
    let dashboard: Dashboard;
    let browser: Browser;
    let connector: ConnectorDefinition;
    let clientSecret: string;
    const store = new MemoryStore();
    const apiKey = randomBytes(18).toString('base64url');
    const password = randomBytes(18).toString('base64url');
    // Every dashboard page the browser received, to prove no secret or token ever reached one.
    const pages: string[] = [];

    const openContext = (): Promise<BrowserContext> =>
      recordingContext(browser, () => dashboard.url, pages);

    async function endpointIds(page: Page): Promise<(string | null)[]> {
      const cards = await page.locator('[data-endpoint-id]').all();
      return Promise.all(cards.map((card) => card.getAttribute('data-endpoint-id')));
    }

    // oidc-provider's own development pages: the login form, then the consent form.
    async function signInAndConsent(page: Page): Promise<void> {
      await page.waitForURL((url) => url.origin === auth.issuer, { waitUntil: 'domcontentloaded' });
      await page.fill('input[name="login"]', 'ada');
      await page.fill('input[name="password"]', 'any-password');
      await page.click('button[type="submit"]');
      await page.waitForSelector('button:has-text("Continue")');
      await page.click('button:has-text("Continue")');
    }

    async function fillOAuthForm(page: Page, name: string): Promise<void> {
      await page.goto(dashboard.url);
      await page.click('[data-connector="crm"]');
      await page.waitForURL(/connector=crm/);
      await page.click('[data-method="crm-oauth"]');
      await page.waitForURL(/method=crm-oauth/);
      await page.fill('#instance-name', name);
      await page.fill('#var-account', 'northwind');
      await page.fill('#var-client_id', CLIENT_ID);
      await page.fill('#var-client_secret', clientSecret);
    }

    beforeAll(async () => {
      const port = await freePort();
      const callbackUrl = `http://127.0.0.1:${port}/oauth/callback`;
      auth = await startAuthorizationServer({
        clients: [
          {
            clientId: CLIENT_ID,
            redirectUris: [callbackUrl],
            tokenEndpointAuthMethod: 'client_secret_basic',
          },
        ],
      });
      clientSecret = auth.clients[0]?.clientSecret ?? '';
      api = await startResourceServer({
        verify: (token) => auth.verifyAccessToken(token),
        keys: [
          { name: 'api-key', header: 'x-api-key', accept: [apiKey] },
          {
            name: 'basic',
            header: 'authorization',
            accept: [`Basic ${encodeBasicCredentials('ops', password)}`],
          },
        ],
        routes: crmRoutes(),
      });
      books = await startOAuth1Provider();
      const text = (await readFile(new URL('./fixtures/crm.yaml', import.meta.url), 'utf8'))
        .replaceAll('__AUTH__', auth.issuer)
        .replaceAll('__API__', api.url)
        .replaceAll('__BOOKS__', new URL(books.apiUrl).origin);
      const strategies = builtInStrategies();
      connector = parseConnectorText(text, 'yaml', { strategies, source: 'crm.yaml' });
      runtime = createRuntime({ connectors: [connector], strategies, store, callbackUrl });
      dashboard = await startDashboard({ runtime, connectors: [connector], port });
      browser = await launchChromium();
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
      await dashboard?.close();
      await runtime?.close();
      await api?.close();
      await books?.close();
      await auth?.close();
    }, 120_000);

    it('adds an OAuth 2 instance through the provider’s real login and consent pages, then calls its endpoints', async () => {
      const context = await openContext();
      const page = await context.newPage();
      await fillOAuthForm(page, 'Northwind production');

      // The generated form: required marked, secrets hidden, advanced folded away, defaults filled.
      expect(await page.locator('#var-account').getAttribute('required')).not.toBeNull();
      expect(await page.locator('#var-client_id').getAttribute('required')).not.toBeNull();
      expect(await page.locator('#var-client_secret').getAttribute('type')).toBe('password');
      expect(await page.locator('#var-scope').inputValue()).toBe('openid offline_access api.read');
      expect(await page.locator('label[for="var-client_id"]').textContent()).toContain('Client ID');
      expect(await page.locator('details.advanced').getAttribute('open')).toBeNull();
      expect(await page.locator('#var-state_length').isVisible()).toBe(false);
      expect(await page.locator('#var-callback_url').inputValue()).toBe(dashboard.callbackUrl);
      // The redirect URI to register is shown above the form, not only under Advanced.
      const redirectBox = page.locator('[data-redirect-uri]');
      expect(await redirectBox.isVisible()).toBe(true);
      expect(await redirectBox.locator('code').textContent()).toBe(dashboard.callbackUrl);
      expect(await page.locator('#var-region').inputValue()).toBe('eu');
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: FORM_SCREENSHOT.pathname, fullPage: true });

      await page.click('button:has-text("Authorise")');
      // oidc-provider's own development login page, then its consent page.
      await signInAndConsent(page);

      // Back at the dashboard: the instance page, reached through the callback route.
      await page.waitForURL(new RegExp(`^${dashboard.url}/instances/[^/?]+\\?added=1$`));
      expect(auth.counts.authorizationCode).toBe(1);
      await expect
        .poll(() => page.locator('.alert-success').textContent())
        .toContain('Instance added');
      expect(await page.locator('.instance-head [data-status]').getAttribute('data-status')).toBe(
        'active',
      );
      const listed = await endpointIds(page);
      expect(listed).toEqual(['list-products', 'create-order']);
      expect(await page.getByText('Export the ledger').count()).toBe(0);
      expect(await page.locator('.instances [data-status="active"]').count()).toBe(1);

      // Token status: valid, an expiry, a refresh token held, a next refresh, the granted scopes.
      const status = page.locator('#token-status');
      expect(
        await status.locator('[data-credential-state]').getAttribute('data-credential-state'),
      ).toBe('valid');
      expect(await status.locator('[data-fact="expires"] time').count()).toBe(1);
      expect(await status.locator('[data-fact="next-refresh"] time').count()).toBe(1);
      expect(await status.locator('[data-fact="refreshable"] dd').textContent()).toBe('held');
      expect(await status.locator('[data-fact="refreshed"] dd').textContent()).toContain(
        'not since sign-in',
      );
      expect(await status.locator('[data-fact="scopes"] .scope').allTextContents()).toContain(
        'api.read',
      );

      // The request that will be sent: rendered URL and headers, the token masked.
      const products = page.locator('#endpoint-list-products');
      const preview = products.locator('[data-request]');
      await preview.locator('summary').click();
      const line = (await preview.locator('[data-request-line]').textContent()) ?? '';
      expect(line).toMatch(new RegExp(`^GET ${api.url}/northwind/products\\?`));
      expect(line).toContain('limit=2');
      expect(await preview.locator('.wire').textContent()).toContain(
        'authorization: Bearer [redacted]',
      );
      expect(await products.locator('input[name="v.limit"]').inputValue()).toBe('2');
      await products.locator('button[type="submit"]').click();
      await page.waitForSelector('#endpoint-list-products .result');
      const result = page.locator('#endpoint-list-products .result');
      expect(await result.locator('[data-status]').getAttribute('data-status')).toBe('200');
      const body = (await result.locator('pre.response-body').textContent()) ?? '';
      expect(JSON.parse(body)).toMatchObject({
        account: 'northwind',
        items: [{ name: 'Anvil' }, { name: 'Rocket skates' }],
      });
      expect(body).toContain('\n  "items": [');
      expect(body).not.toContain('Giant magnet');
      // After the call: the response headers, and the request as it was sent.
      expect(await result.locator('[data-response-headers] .wire').textContent()).toContain(
        'content-type: application/json',
      );
      expect(await products.locator('[data-request]').getAttribute('open')).not.toBeNull();
      const sent = api.requests.filter((request) => request.accepted).at(-1);
      expect(await products.locator('[data-request-line]').textContent()).toBe(
        `GET ${api.url}${sent?.target}`,
      );
      // The provider revokes the access token: the next call refreshes once and replays, and
      // the token status shows when.
      const refreshes = auth.counts.refreshToken;
      expect(await auth.expireAll()).toBeGreaterThanOrEqual(1);
      await page.locator('#endpoint-list-products button[type="submit"]').click();
      await page.waitForSelector('#endpoint-list-products .result [data-status="200"]');
      expect(auth.counts.refreshToken).toBe(refreshes + 1);
      expect(await status.locator('[data-fact="refreshed"] time').count()).toBe(1);
      await mkdir(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: SCREENSHOT.pathname, fullPage: true });
      await page.locator('#token-status').screenshot({ path: TOKEN_SCREENSHOT.pathname });

      // A send endpoint with a required endpoint variable.
      const order = page.locator('#endpoint-create-order');
      await order.locator('input[name="v.product_id"]').fill('p-101');
      await order.locator('button[type="submit"]').click();
      await page.waitForSelector('#endpoint-create-order .result [data-status]');
      expect(
        await page.locator('#endpoint-create-order [data-status]').getAttribute('data-status'),
      ).toBe('201');
      expect(
        await page.locator('#endpoint-create-order pre.response-body').textContent(),
      ).toContain('"product": "p-101"');
      const calls = api.requests
        .filter((request) => request.accepted)
        .map((request) => `${request.method} /${request.path.split('/')[2]}`);
      expect(calls).toEqual(['GET /products', 'GET /products', 'POST /orders']);
      await context.close();
    });

    it('adds an API-key instance at once, after showing a refused key as CREDENTIALS_INVALID', async () => {
      const context = await openContext();
      const page = await context.newPage();
      await page.goto(`${dashboard.url}/?connector=crm&method=crm-token`);
      await page.fill('#instance-name', 'Northwind ops');
      await page.fill('#var-account', 'northwind');
      await page.fill('#var-token', 'not-the-key');
      await page.click('button:has-text("Add instance")');
      await page.waitForSelector('.alert-error');
      expect(await page.locator('.alert-error .code').textContent()).toBe('CREDENTIALS_INVALID');
      expect(await page.locator('.alert-error').textContent()).toContain('HTTP 401');
      // In the user's words; the developer message is folded away.
      expect(await page.locator('.alert-error .alert-summary').textContent()).toBe(
        'The provider refused these credentials.',
      );
      expect(await page.locator('.alert-error .alert-message').isVisible()).toBe(false);
      // What was typed comes back, except the secret.
      expect(await page.locator('#var-account').inputValue()).toBe('northwind');
      expect(await page.locator('#var-token').inputValue()).toBe('');

      await page.fill('#var-token', apiKey);
      await page.click('button:has-text("Add instance")');
      await page.waitForURL(/\/instances\/[^/?]+\?added=1$/);
      const listed = await endpointIds(page);
      expect(listed).toEqual(['list-products', 'export-ledger']);
      expect(await page.getByText('Create an order').count()).toBe(0);
      await page.locator('#endpoint-export-ledger button[type="submit"]').click();
      await page.waitForSelector('#endpoint-export-ledger .result [data-status]');
      expect(
        await page.locator('#endpoint-export-ledger [data-status]').getAttribute('data-status'),
      ).toBe('200');
      await context.close();
    });

    it('adds an instance of every other built-in type, each offered and calling only its enabled endpoints', async () => {
      const context = await openContext();
      const page = await context.newPage();
      const cases: {
        method: string;
        values: Record<string, string>;
        endpoints: string[];
        redirect?: boolean;
      }[] = [
        {
          method: 'crm-basic',
          values: { username: 'ops', password },
          endpoints: ['list-products'],
        },
        {
          method: 'crm-service',
          values: { client_id: CLIENT_ID, client_secret: clientSecret },
          endpoints: ['list-products'],
        },
        {
          // Three-legged: the dashboard redirects to the provider, which sends the user back.
          method: 'books-oauth1',
          values: { consumer_key: books.consumer.key, consumer_secret: books.consumer.secret },
          endpoints: ['list-invoices'],
          redirect: true,
        },
        {
          method: 'books-tba',
          values: {
            consumer_key: books.consumer.key,
            consumer_secret: books.consumer.secret,
            token_id: books.issuedToken.key,
            token_secret: books.issuedToken.secret,
          },
          endpoints: ['list-invoices'],
        },
      ];
      const before = {
        clientCredentials: auth.counts.clientCredentials,
        authorizations: books.counts.authorizations,
      };
      for (const { method, values, endpoints, redirect } of cases) {
        await page.goto(`${dashboard.url}/?connector=crm&method=${method}`);
        await page.fill('#instance-name', `Northwind ${method}`);
        await page.fill('#var-account', 'northwind');
        for (const [key, value] of Object.entries(values)) await page.fill(`#var-${key}`, value);
        await page.click(`button:has-text("${redirect === true ? 'Authorise' : 'Add instance'}")`);
        await page.waitForURL(/\/instances\/[^/?]+\?added=1$/);
        expect(await endpointIds(page), method).toEqual(endpoints);
        const first = endpoints[0]!;
        await page.locator(`#endpoint-${first} button[type="submit"]`).click();
        await page.waitForSelector(`#endpoint-${first} .result [data-status]`);
        expect(
          await page.locator(`#endpoint-${first} [data-status]`).getAttribute('data-status'),
          method,
        ).toBe('200');
      }
      expect(auth.counts.clientCredentials).toBe(before.clientCredentials + 1);
      expect(books.counts.authorizations).toBe(before.authorizations + 1);
      await context.close();
    });

    it('brings the filled-in form back, secrets asked again, when the user cancels at the provider', async () => {
      const context = await openContext();
      const page = await context.newPage();
      await fillOAuthForm(page, 'Cancelled');
      await page.fill('#var-scope', 'openid api.read');
      await page.click('button:has-text("Authorise")');
      await page.waitForURL((url) => url.origin === auth.issuer, { waitUntil: 'domcontentloaded' });
      await page.click('text=[ Cancel ]');
      await page.waitForURL((url) => url.href.startsWith(dashboard.callbackUrl));
      await page.waitForSelector('.alert-error');
      expect(await page.locator('.alert-error .code').textContent()).toBe('AUTH_DENIED');
      expect(await page.locator('.alert-error .alert-summary').textContent()).toMatch(
        /^The provider did not grant access/,
      );
      expect(await page.locator('h1').textContent()).toBe('Add an instance');
      expect(await page.locator('#instance-name').inputValue()).toBe('Cancelled');
      expect(await page.locator('#var-account').inputValue()).toBe('northwind');
      expect(await page.locator('#var-client_id').inputValue()).toBe(CLIENT_ID);
      expect(await page.locator('#var-scope').inputValue()).toBe('openid api.read');
      expect(await page.locator('#var-client_secret').inputValue()).toBe('');
      expect(await page.locator('[data-notice]').textContent()).toContain('enter them again');
      await context.close();
    });

    it('renames, disconnects, authorises again and deletes an instance', async () => {
      const context = await openContext();
      const page = await context.newPage();
      page.on('dialog', (dialog) => void dialog.accept());
      await fillOAuthForm(page, 'Northwind sandbox');
      await page.click('button:has-text("Authorise")');
      await signInAndConsent(page);
      await page.waitForURL(/\/instances\/[^/?]+\?added=1$/);
      const instanceId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
      const item = page.locator(`.instances [data-instance-id="${instanceId}"]`);

      await page.fill('#rename-name', 'Northwind sandbox EU');
      await page.click('button:has-text("Rename")');
      await page.waitForURL(/\?renamed=1$/);
      expect(await page.locator('#instance-title').textContent()).toBe('Northwind sandbox EU');
      expect(await item.locator('.instance-name').textContent()).toBe('Northwind sandbox EU');
      expect((await runtime.getInstance(instanceId))?.name).toBe('Northwind sandbox EU');

      await page.click('[data-action="disconnect"]');
      await page.waitForURL(/\?disconnected=1$/);
      expect(await page.locator('.instance-head [data-status]').getAttribute('data-status')).toBe(
        'reauthorization_required',
      );
      expect(
        await page.locator('[data-credential-state]').getAttribute('data-credential-state'),
      ).toBe('reauthorization_required');
      expect(await store.get(storeKeys.credentials(instanceId))).toBeUndefined();
      await page.locator('#endpoint-list-products button[type="submit"]').click();
      await page.waitForSelector('#endpoint-list-products .result .alert-error');
      expect(await page.locator('#endpoint-list-products .code').textContent()).toBe(
        'REAUTHORIZATION_REQUIRED',
      );

      await context.close();

      // A new consent, in a fresh browser session (no sign-in kept at the provider).
      const fresh = await openContext();
      const again = await fresh.newPage();
      again.on('dialog', (dialog) => void dialog.accept());
      await again.goto(`${dashboard.url}/instances/${encodeURIComponent(instanceId)}`);
      await again.click('[data-action="reauthorize"]');
      await signInAndConsent(again);
      await again.waitForURL(
        `${dashboard.url}/instances/${encodeURIComponent(instanceId)}?renewed=1`,
      );
      expect(
        await again.locator('[data-credential-state]').getAttribute('data-credential-state'),
      ).toBe('valid');
      expect(await again.locator('#instance-title').textContent()).toBe('Northwind sandbox EU');

      const listed = again.locator(`.instances [data-instance-id="${instanceId}"]`);
      expect(await listed.count()).toBe(1);
      await again.click('[data-action="delete"]');
      await again.waitForURL(`${dashboard.url}/?deleted=1`);
      expect(await again.locator('.alert-success').textContent()).toContain('deleted');
      expect(await listed.count()).toBe(0);
      expect(await runtime.getInstance(instanceId)).toBeUndefined();
      await fresh.close();
    });

    it('marks an instance whose grant the provider revoked, and renews its consent with "Authorise again"', async () => {
      const first = await openContext();
      const page = await first.newPage();
      await fillOAuthForm(page, 'Northwind staging');
      await page.click('button:has-text("Authorise")');
      await signInAndConsent(page);
      await page.waitForURL(/\/instances\/[^/?]+\?added=1$/);
      const instanceId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');

      // The provider forgets the grant: access token revoked, refresh token destroyed.
      const saved = await store.get<JsonObject>(storeKeys.credentials(instanceId));
      const { access_token: accessToken = '', refresh_token: refreshToken = '' } =
        (saved?.value as unknown as Credentials | undefined)?.values ?? {};
      await auth.revokeAccessToken(accessToken);
      await (await auth.provider.RefreshToken.find(refreshToken))?.destroy();

      await page.locator('#endpoint-list-products button[type="submit"]').click();
      await page.waitForSelector('#endpoint-list-products .result .alert-error');
      expect(await page.locator('#endpoint-list-products .code').textContent()).toBe(
        'REAUTHORIZATION_REQUIRED',
      );
      expect(await page.locator('.instance-head [data-status]').getAttribute('data-status')).toBe(
        'reauthorization_required',
      );
      expect(
        await page
          .locator(`.instances [data-instance-id="${instanceId}"] [data-status]`)
          .getAttribute('data-status'),
      ).toBe('reauthorization_required');
      await first.close();

      // Later, in a fresh browser session: renew the consent from the instance page.
      const second = await openContext();
      const again = await second.newPage();
      await again.goto(`${dashboard.url}/instances/${encodeURIComponent(instanceId)}`);
      await again.click('button:has-text("Authorise again")');
      await signInAndConsent(again);
      await again.waitForURL(
        `${dashboard.url}/instances/${encodeURIComponent(instanceId)}?renewed=1`,
      );
      expect(await again.locator('.instance-head [data-status]').getAttribute('data-status')).toBe(
        'active',
      );
      await again.locator('#endpoint-list-products button[type="submit"]').click();
      await again.waitForSelector('#endpoint-list-products .result [data-status]');
      expect(
        await again.locator('#endpoint-list-products [data-status]').getAttribute('data-status'),
      ).toBe('200');
      await second.close();
    });

    it('never puts a client secret, API key, password, token or refresh token into a page', async () => {
      const refreshTokens = await storedCredentialValues(store, 'refresh_token');
      const secrets = [
        clientSecret,
        apiKey,
        password,
        books.consumer.secret,
        books.issuedToken.secret,
        ...api.credentialsSeen,
        ...refreshTokens,
      ].filter((s) => s.length >= 8);
      expect(secrets.length).toBeGreaterThanOrEqual(7);
      expect(pages.length).toBeGreaterThan(5);
      for (const html of pages) for (const secret of secrets) expect(html).not.toContain(secret);
    });

    it('speaks to the user without API names in its messages', () => {
      let messages = 0;
      for (const html of pages) {
        for (const [, text] of html.matchAll(
          /class="(?:alert-summary|alert-hint)"[^>]*>([^<]*)</g,
        )) {
          messages++;
          expect(text).not.toMatch(/\w\(\)|details\.|beginAuthorization|addInstance/);
        }
      }
      // The refused key, the cancelled consent and the disconnected instance each said something.
      expect(messages).toBeGreaterThanOrEqual(6);
    });

    it('refuses a form post without the page’s form token', async () => {
      const response = await fetch(`${dashboard.url}/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'connectorId=crm&authMethodId=crm-token&name=x&v.account=a&v.token=k',
      });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('FORBIDDEN');
    });
  },
);
