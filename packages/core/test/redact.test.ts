import { REDACTED, redactCredentials, scrub } from '@splice/core';
import { describe, expect, it } from 'vitest';

describe('redactCredentials', () => {
  const token = 'at_9f8e7d6c5b4a39281706';

  it('hides the values of token-, secret- and key-named fields in JSON, forms and text', () => {
    const cases = [
      `{"access_token":"${token}","error":"server_error"}`,
      `{ "refresh_token" : "${token}" }`,
      `{"data":{"accessToken":"${token}"}}`,
      `{'id_token': '${token}'}`,
      `refresh_token=${token}&error=bad`,
      `client_secret: ${token}`,
      `"api_key":"${token}`, // cut off by the end of the text
      `Authorization: Bearer ${token}`,
      `sent Basic ${Buffer.from(`id:${token}`).toString('base64')}`,
    ];
    for (const text of cases) {
      const out = redactCredentials(text);
      expect(out, text).not.toContain(token);
      expect(out, text).toContain(REDACTED);
    }
  });

  it('hides long opaque runs that mix letters and digits, and any run of 32+', () => {
    expect(redactCredentials('upstream said aZ9kL2mN4pQ7rS1tU3vW5xY8 ok')).toBe(
      `upstream said ${REDACTED} ok`,
    );
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';
    expect(redactCredentials(`id ${jwt}`)).toBe(`id ${REDACTED}`);
    expect(redactCredentials('x'.repeat(40))).toBe(REDACTED);
  });

  it('keeps ordinary error text readable', () => {
    for (const text of [
      'Bad Gateway: status code: 502',
      '{"error":"invalid_grant","error_description":"The refresh token expired"}',
      'Bearer realm="api", error="invalid_token"',
      'path /v1/orders/list is gone',
    ]) {
      expect(redactCredentials(text)).toBe(text);
    }
  });

  it('combines with scrub for the values Splice sent', () => {
    const out = redactCredentials(scrub('bad client secret sekret-1 given', ['sekret-1']));
    expect(out).toBe(`bad client secret ${REDACTED} given`);
  });
});
