import { type Credentials, type JsonObject, type Store, storeKeys } from '@splice/core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '@splice/testkit';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Debian's Chromium, headless, with the testkit's flags (never a downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/**
 * The stored credential value `field` (e.g. `refresh_token`) of every instance in `store` that has
 * one: what a test checks no page ever held.
 */
export async function storedCredentialValues(store: Store, field: string): Promise<string[]> {
  const found: string[] = [];
  for (const key of await store.keys(storeKeys.instances)) {
    const id = key.slice(key.lastIndexOf(':') + 1);
    const saved = await store.get<JsonObject>(storeKeys.credentials(id));
    const value = (saved?.value as unknown as Credentials | undefined)?.values[field];
    if (value !== undefined) found.push(value);
  }
  return found;
}

// A free loopback port: the provider must know the redirect URI before it starts, and the
// dashboard must know the runtime before it starts, so a test takes a port first.
export { freePort } from '@splice/testkit';

/**
 * A browser context in a closed world (only loopback servers answer; a provider's page may import
 * a web font) that appends every HTML page `dashboardUrl()` serves to `pages`, so a test can prove
 * no secret or token ever reached one.
 */
export async function recordingContext(
  browser: Browser,
  dashboardUrl: () => string,
  pages: string[],
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  context.on('response', async (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!response.url().startsWith(dashboardUrl()) || !type.startsWith('text/html')) return;
    try {
      pages.push(await response.text());
    } catch {
      // Redirects have no body.
    }
  });
  return context;
}
