import { describe, expect, it } from 'vitest';
import { startCallbackServer } from '../src/callback/startCallbackServer.js';

const REFUSAL = new URLSearchParams({
  error: 'invalid_scope',
  error_description: 'Scope <b>"admin"</b> & more is not allowed',
});

describe('startCallbackServer', () => {
  it("shows a refused callback's error and description on the page, escaped as HTML", async () => {
    const server = await startCallbackServer({ port: 0 });
    try {
      const page = fetch(`${server.callbackUrl}?${REFUSAL}`).then((r) => r.text());
      expect(await server.next()).toContain('error=invalid_scope');
      const html = await page;
      expect(html).toContain('<title>Authorization refused</title>');
      expect(html).toContain(
        'The provider refused the authorization: invalid_scope (Scope &lt;b&gt;&quot;admin&quot;&lt;/b&gt; &amp; more is not allowed).',
      );
      expect(html).not.toContain('<b>');
    } finally {
      await server.close();
    }
  });

  it('escapes what a waiting callback is answered with', async () => {
    const server = await startCallbackServer({ port: 0 });
    try {
      const page = fetch(`${server.callbackUrl}?code=c1&state=s1`).then((r) => r.text());
      const request = await server.nextRequest();
      request.respond(false, 'Failed <here>', 'The provider said <script>alert(1)</script>');
      const html = await page;
      expect(html).toContain('<title>Failed &lt;here&gt;</title>');
      expect(html).toContain('The provider said &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).not.toContain('<script>');
    } finally {
      await server.close();
    }
  });
});
