import { callbackRefusal } from '@splice/core';
import { describe, expect, it } from 'vitest';

describe('callbackRefusal', () => {
  it('reads error and a non-blank description, scrubbing the values the flow knows', () => {
    const params = new URLSearchParams({
      error: 'access_denied',
      error_description: 'code c0de-4-secret-value was refused',
    });
    expect(callbackRefusal(params, ['c0de-4-secret-value'])).toEqual({
      providerError: 'access_denied',
      providerErrorDescription: 'code [redacted] was refused',
      said: 'access_denied (code [redacted] was refused)',
    });
    params.set('error_description', '  ');
    expect(callbackRefusal(params, [])).toEqual({
      providerError: 'access_denied',
      said: 'access_denied',
    });
  });

  it('sees no refusal without an error code, or with an empty one', () => {
    expect(callbackRefusal(new URLSearchParams('code=abc'), [])).toBeUndefined();
    expect(callbackRefusal(new URLSearchParams('error=&error_description=x'), [])).toBeUndefined();
  });
});
