import { SpliceError } from '@splice/core';
import { networkFailure } from '@splice/http';
import { describe, expect, it } from 'vitest';
import { explainFailure, explainRefusal, networkCause } from '../src/commands/explainFailure.js';

// The errors as `@splice/http` maps them (the one mapping the runtime and the strategies use),
// from the socket and undici codes Node reports for each cause.
const exchange = {
  failure: 'TOKEN_REQUEST_FAILED',
  subject: 'Token request to https://auth.example/token',
  maxBytes: 1024,
} as const;
const socketError = (code: string): Error => Object.assign(new Error(code), { code });

describe('explainFailure', () => {
  it('names each network cause and what to check', () => {
    const cases: [string, RegExp, RegExp][] = [
      ['ECONNREFUSED', /^connection refused/, /port and that the server behind urls\.token/],
      [
        'ENOTFOUND',
        /^DNS: the host name does not resolve \(ENOTFOUND\)/,
        /host name in urls\.token/,
      ],
      ['EAI_AGAIN', /^DNS/, /host name/],
      [
        'DEPTH_ZERO_SELF_SIGNED_CERT',
        /^TLS: .*DEPTH_ZERO_SELF_SIGNED_CERT/,
        /certificate of urls\.token/,
      ],
      ['CERT_HAS_EXPIRED', /^TLS/, /expired, self-signed/],
      [
        'UND_ERR_CONNECT_TIMEOUT',
        /^timeout: the connection could not be opened/,
        /firewall or proxy/,
      ],
    ];
    for (const [code, cause, hint] of cases) {
      const explained = explainFailure(networkFailure(socketError(code), exchange, 10_000));
      expect(explained.code).toBe('TOKEN_REQUEST_FAILED');
      expect(explained.cause).toMatch(cause);
      expect(explained.hints.join('\n')).toMatch(hint);
    }
  });

  it('explains a timeout with the method timeoutSeconds', () => {
    const explained = explainFailure(
      networkFailure(socketError('UND_ERR_HEADERS_TIMEOUT'), exchange, 10_000),
      { timeoutSeconds: 10 },
    );
    expect(explained.code).toBe('TIMEOUT');
    expect(explained.cause).toBe('timeout: no answer in time');
    expect(explained.hints[0]).toContain('timeoutSeconds (10 s)');
  });

  it("shows the provider's OAuth error and recognises a redirect URI problem in it", () => {
    const refused = new SpliceError('TOKEN_REQUEST_FAILED', 'Token exchange was refused.', {
      details: {
        status: 400,
        oauthError: 'invalid_grant',
        oauthErrorDescription: 'redirect_uri does not match the one of the authorization',
      },
    });
    const explained = explainFailure(refused);
    expect(explained).toMatchObject({
      oauthError: 'invalid_grant',
      oauthErrorDescription: 'redirect_uri does not match the one of the authorization',
    });
    expect(explained.hints[0]).toMatch(/^redirect URI mismatch: register the redirect URI/);
    const denied = explainFailure(
      new SpliceError('AUTH_DENIED', 'Denied.', { details: { providerError: 'access_denied' } }),
    );
    expect(denied.hints[0]).toContain('declined the consent');
    const deniedWithoutState = explainFailure(
      new SpliceError('AUTH_STATE_INVALID', 'Refused, and the state is missing.', {
        details: { statePresent: false, providerError: 'access_denied' },
      }),
    );
    expect(deniedWithoutState).toMatchObject({
      code: 'AUTH_STATE_INVALID',
      oauthError: 'access_denied',
    });
    expect(deniedWithoutState.hints[0]).toContain('declined the consent');
  });

  it('gives a refusal the hint of its error code (RFC 6749 §4.1.2.1), the same for a callback and an error', () => {
    const cases: [string, RegExp][] = [
      ['access_denied', /declined the consent: approve it when you try again/],
      ['invalid_scope', /scope asked for is unknown or not allowed/],
      ['unauthorized_client', /may not use the authorization-code grant/],
      ['unsupported_response_type', /response_type=code/],
      ['invalid_request', /check urls\.authorise/],
      ['temporarily_unavailable', /failed on its side: try again later/],
      ['some_other_code', /check the scope, client_id and redirect URI/],
    ];
    for (const [providerError, hint] of cases) {
      const explained = explainRefusal('AUTH_DENIED', 'refused', {
        providerError,
        providerErrorDescription: 'As the provider said it',
      });
      expect(explained).toEqual({
        code: 'AUTH_DENIED',
        message: 'refused',
        oauthError: providerError,
        oauthErrorDescription: 'As the provider said it',
        hints: [expect.stringMatching(hint)],
      });
      const error = new SpliceError('AUTH_DENIED', 'Refused.', { details: { providerError } });
      expect(explainFailure(error).hints).toEqual(explained.hints);
    }
    expect(
      explainRefusal('AUTH_DENIED', 'refused', {
        providerError: 'access_denied',
        providerErrorDescription: 'redirect_uri not registered',
      }).hints[0],
    ).toMatch(/^redirect URI mismatch/);
  });

  it('keeps an unknown code as it is', () => {
    expect(networkCause('EWHATEVER')).toBe('EWHATEVER');
    expect(networkCause(null)).toBeUndefined();
  });
});
