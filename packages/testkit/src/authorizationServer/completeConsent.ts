import { type Dispatcher, request } from 'undici';

/** Options of {@link completeConsent}. */
export interface CompleteConsentOptions {
  /** undici dispatcher for the requests (e.g. a test agent). */
  readonly dispatcher?: Dispatcher;
  /** The login typed into the dev login form; becomes the token's `sub`. Default `user-1`. */
  readonly login?: string;
  /** Press "abort" instead of signing in: the provider answers `error=access_denied`. */
  readonly deny?: boolean;
  /** Redirects followed at most before giving up; default 20. */
  readonly maxSteps?: number;
}

interface Cookie {
  readonly name: string;
  readonly value: string;
  readonly path: string;
}

/**
 * A cookie jar just good enough for one authorization server: keeps cookies per name and path,
 * sends those whose path is a prefix of the request path, drops expired ones.
 */
class CookieJar {
  readonly #cookies = new Map<string, Cookie>();

  store(setCookie: string | string[] | undefined): void {
    const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', attributeValue = ''] = attribute.split('=');
        const lower = key.toLowerCase();
        if (lower === 'path') path = attributeValue || '/';
        if (lower === 'max-age' && Number(attributeValue) <= 0) expired = true;
        if (lower === 'expires' && Date.parse(attributeValue) <= Date.now()) expired = true;
      }
      const id = `${name};${path}`;
      if (expired) this.#cookies.delete(id);
      else this.#cookies.set(id, { name, value, path });
    }
  }

  header(pathname: string): string | undefined {
    const matching = [...this.#cookies.values()].filter(
      (cookie) =>
        pathname === cookie.path ||
        pathname.startsWith(cookie.path.endsWith('/') ? cookie.path : `${cookie.path}/`) ||
        cookie.path === '/',
    );
    if (matching.length === 0) return undefined;
    return matching.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  }
}

function decodeHtml(text: string): string {
  return text
    .replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&#x2F;', '/')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');
}

interface Form {
  readonly action: string;
  readonly fields: Record<string, string>;
}

function readForm(html: string): Form | undefined {
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) return undefined;
  const fields: Record<string, string> = {};
  for (const input of (form[2] ?? '').matchAll(/<input([^>]*)>/gi)) {
    const attrs = input[1] ?? '';
    const name = /name="([^"]*)"/i.exec(attrs)?.[1];
    const value = /value="([^"]*)"/i.exec(attrs)?.[1] ?? '';
    if (name !== undefined) fields[name] = decodeHtml(value);
  }
  return { action: decodeHtml(form[1] ?? ''), fields };
}

function isCallback(url: URL): boolean {
  const params = url.searchParams;
  return params.has('state') && (params.has('code') || params.has('error'));
}

/**
 * Plays the user at an authorization server's consent screens, headlessly: follows redirects
 * with a cookie jar, signs in on the development login form, accepts the consent form, and
 * returns the final redirect to the client's callback (`...?code=...&state=...&iss=...`)
 * **without requesting it**. Works with {@link startAuthorizationServer} and with the provider
 * simulator (which redirects at once).
 *
 * @example
 * ```ts
 * const { authorizationUrl } = await runtime.beginAuthorization({ ... });
 * const callbackUrl = await completeConsent(authorizationUrl);
 * const instance = await runtime.completeAuthorization(callbackUrl);
 * ```
 */
export async function completeConsent(
  authorizationUrl: string,
  options: CompleteConsentOptions = {},
): Promise<string> {
  const jar = new CookieJar();
  const origin = new URL(authorizationUrl).origin;
  const maxSteps = options.maxSteps ?? 20;
  let next: { url: URL; method: 'GET' | 'POST'; body?: string } = {
    url: new URL(authorizationUrl),
    method: 'GET',
  };
  for (let step = 0; step < maxSteps; step += 1) {
    const cookie = jar.header(next.url.pathname);
    const headers: Record<string, string> = {};
    if (cookie !== undefined) headers['cookie'] = cookie;
    if (next.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await request(next.url, {
      method: next.method,
      headers,
      ...(next.body === undefined ? {} : { body: next.body }),
      ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
    });
    jar.store(response.headers['set-cookie']);
    const location = response.headers['location'];
    if (response.statusCode >= 300 && response.statusCode < 400 && location !== undefined) {
      await response.body.dump();
      const target = new URL(Array.isArray(location) ? (location[0] ?? '') : location, next.url);
      // Anything off the authorization server is the client's callback: hand it back unvisited.
      if (target.origin !== origin || isCallback(target)) return target.href;
      next = { url: target, method: 'GET' };
      continue;
    }
    const html = await response.body.text();
    if (response.statusCode !== 200) {
      throw new Error(
        `completeConsent: ${next.method} ${next.url.pathname} answered ${response.statusCode}: ${html.slice(0, 300)}`,
      );
    }
    const form = readForm(html);
    if (form === undefined) {
      throw new Error(`completeConsent: no form at ${next.url.pathname}: ${html.slice(0, 300)}`);
    }
    const prompt = form.fields['prompt'];
    if (options.deny === true) {
      const abort = /href="([^"]*\/abort)"/i.exec(html)?.[1];
      if (abort === undefined) throw new Error('completeConsent: no abort link to deny with');
      next = { url: new URL(decodeHtml(abort), next.url), method: 'GET' };
      continue;
    }
    const fields = { ...form.fields };
    if (prompt === 'login') {
      fields['login'] = options.login ?? 'user-1';
      fields['password'] = 'any-password';
    }
    next = {
      url: new URL(form.action, next.url),
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
    };
  }
  throw new Error(`completeConsent: gave up after ${maxSteps} steps without reaching the callback`);
}
