import { describe, expect, it } from 'vitest';
import { redactResponse } from '../src/http/redactResponse.js';

describe('redactResponse', () => {
  it('hides credential-named values at any depth and keeps everything else', () => {
    const echo = {
      path: '/orders',
      headers: { authorization: 'Bearer abc', 'X-Api-Key': 'k-123', accept: 'json' },
      items: [{ code: 'SKU-1', access_token: 'tok', nested: { Password: 'pw' } }],
      token: null,
    };
    expect(redactResponse(echo)).toEqual({
      path: '/orders',
      headers: { authorization: '[redacted]', 'X-Api-Key': '[redacted]', accept: 'json' },
      items: [{ code: 'SKU-1', access_token: '[redacted]', nested: { Password: '[redacted]' } }],
      token: null,
    });
  });

  it('returns primitives as they are', () => {
    expect(redactResponse('text')).toBe('text');
    expect(redactResponse(3)).toBe(3);
  });
});
