import { SpliceError } from '@splice/core';
import { describe, expect, it } from 'vitest';
import { describeError, headerLines } from '../src/http/describeError.js';

describe('describeError', () => {
  it("says a token failure in the user's words, with the provider's OAuth error and a hint", () => {
    const view = describeError(
      new SpliceError('TOKEN_REQUEST_FAILED', 'Token request to /token failed: invalid_client', {
        details: {
          status: 401,
          oauthError: 'invalid_client',
          oauthErrorDescription: 'client authentication failed',
        },
      }),
    );
    expect(view).toMatchObject({
      code: 'TOKEN_REQUEST_FAILED',
      summary:
        'The provider refused to issue a token: invalid_client — client authentication failed.',
      hint: 'Check the client ID and client secret, and how the client authenticates.',
      message: 'Token request to /token failed: invalid_client',
      httpStatus: 502,
    });
  });

  it('says a refusal that came back without its state as a refusal, not as an expired link', () => {
    const refused = describeError(
      new SpliceError('AUTH_STATE_INVALID', 'The provider refused the authorization (…)', {
        details: {
          statePresent: false,
          providerError: 'access_denied',
          providerErrorDescription: 'The user pressed Cancel',
        },
      }),
    );
    expect(refused).toMatchObject({
      code: 'AUTH_STATE_INVALID',
      summary: 'The provider did not grant access: The user pressed Cancel.',
      hint: 'If you cancelled, start again when ready.',
    });
    const expired = describeError(
      new SpliceError('AUTH_STATE_INVALID', 'The state is unknown', {
        details: { statePresent: true },
      }),
    );
    expect(expired.summary).toBe('This sign-in link has expired or was already used.');
  });

  it('says what a post-authorization step needs from the user, without API names', () => {
    const stale = describeError(
      new SpliceError('CHOICE_INVALID', 'chooseValue: step "tenant" offers "t-1" (Demo UK)', {
        details: { stepId: 'tenant', choiceId: 't-9' },
      }),
    );
    expect(stale.summary).toContain('That choice is not on offer');
    const none = describeError(
      new SpliceError('CAPTURE_INVALID', 'Step "tenant" answered an empty list', {
        details: {
          key: 'tenant_id',
          field: 'tenantId',
          source: 'step',
          reason: 'no_choices',
          stepId: 'tenant',
        },
      }),
    );
    expect(none.summary).toContain('nothing to choose from');
    expect(none.hint).toContain('run the post-authorization steps again');
    for (const view of [stale, none]) {
      expect(`${view.summary} ${view.hint}`).not.toMatch(/chooseValue|\w\(\)/);
    }
  });

  it('names the network cause instead of a status', () => {
    const view = describeError(
      new SpliceError('TOKEN_REQUEST_FAILED', 'connect ECONNREFUSED', {
        details: { reason: 'network', errorCode: 'ECONNREFUSED', sent: false },
      }),
    );
    expect(view.summary).toBe(
      'The provider’s token URL could not be reached: the connection was refused: nothing is listening at that address.',
    );
  });

  it('keeps API names out of the summary and hint; the developer message stays as it was', () => {
    const message =
      'Instance "i1" needs re-authorization. Renew it with beginAuthorization({ instanceId: "i1" }).';
    const view = describeError(new SpliceError('REAUTHORIZATION_REQUIRED', message));
    expect(`${view.summary} ${view.hint}`).not.toMatch(/\w\(|beginAuthorization/);
    expect(view.message).toBe(message);
  });

  it('lists the missing keys and the read-only ones', () => {
    expect(
      describeError(
        new SpliceError('VARIABLE_MISSING', 'm', { details: { keys: ['account', 'client_id'] } }),
      ).summary,
    ).toBe('Some required values are empty: “account”, “client_id”.');
    expect(
      describeError(new SpliceError('VARIABLE_INVALID', 'm', { details: { readOnly: ['region'] } }))
        .summary,
    ).toBe('“region” cannot be changed once the instance exists.');
  });

  it("keeps an HTTP error's status, body and headers, credential headers masked", () => {
    const view = describeError(
      new SpliceError('ENDPOINT_HTTP_ERROR', 'HTTP 403', {
        details: {
          connectorId: 'crm',
          authMethodId: 'crm-oauth',
          instanceId: 'i1',
          endpointId: 'orders',
          attempts: 1,
          bodyTruncated: false,
          status: 403,
          body: '{"error":"forbidden"}',
          headers: { 'content-type': 'application/json', 'set-cookie': ['s=1'] },
        },
      }),
    );
    expect(view).toMatchObject({
      summary: 'The API answered HTTP 403.',
      status: 403,
      body: '{"error":"forbidden"}',
      headers: { 'content-type': 'application/json', 'set-cookie': '[redacted]' },
    });
    expect(view.hint).toContain('permission');
  });
});

describe('headerLines', () => {
  it('joins repeated headers and masks credential-named ones', () => {
    expect(
      headerLines({ vary: ['accept', 'origin'], authorization: 'Bearer x', a: undefined }),
    ).toEqual({ vary: 'accept, origin', authorization: '[redacted]' });
  });
});
