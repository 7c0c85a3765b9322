// The cause an undici or socket error leaves on a Splice error holds nothing of the request.
import { inspect } from 'node:util';
import { networkFailure, safeCause } from '@splice/http';
import { describe, expect, it } from 'vitest';

const TOKEN = 'at_5b1e9c7d3f2a8e6c4b0d';
const exchange = {
  subject: 'Endpoint "orders"',
  failure: 'ENDPOINT_REQUEST_FAILED',
  details: { endpointId: 'orders' },
} as const;

describe('safeCause', () => {
  it("keeps name, code and message, drops undici's input and data and a URL's query", () => {
    const original = Object.assign(
      new TypeError(`fetch https://api.example/orders?access_token=${TOKEN}#x failed`),
      {
        code: 'UND_ERR_SOCKET',
        input: `https://api.example/orders?access_token=${TOKEN}`,
        data: { headers: { authorization: `Bearer ${TOKEN}` } },
      },
    );
    const cause = safeCause(original);
    expect(cause.name).toBe('TypeError');
    expect((cause as { code?: string }).code).toBe('UND_ERR_SOCKET');
    expect(cause.message).toBe('fetch https://api.example/orders failed');
    expect(inspect(cause, { showHidden: true, depth: 10 })).not.toContain(TOKEN);
  });

  it('is the cause of every mapped network failure and timeout', () => {
    for (const code of ['ECONNRESET', 'UND_ERR_HEADERS_TIMEOUT', undefined]) {
      const original = Object.assign(new Error('socket hang up'), {
        ...(code === undefined ? {} : { code }),
        input: `https://api.example/?t=${TOKEN}`,
      });
      const error = networkFailure(original, exchange as never, 1000) as Error;
      expect(error.cause).not.toBe(original);
      expect(inspect(error, { showHidden: true, depth: 10 })).not.toContain(TOKEN);
    }
  });
});
