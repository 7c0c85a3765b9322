import { describe, expect, it } from 'vitest';
import { parseKeys } from '../src/commands/openRuntime.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('parseKeys (SPLICE_KEY)', () => {
  it('ignores spaces around an id and its key, as around an entry', () => {
    expect(parseKeys(`k1 : ${KEY} , k2 :${KEY}`)).toEqual([
      { id: 'k1', key: KEY },
      { id: 'k2', key: KEY },
    ]);
  });

  it('refuses a malformed entry naming it, never the key', () => {
    let error: unknown;
    try {
      parseKeys(`bad id:${KEY}`);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining("SPLICE_KEY entry 1's id must be 1-64 characters"),
    });
    expect((error as Error).message).not.toContain(KEY);
  });

  it("says a key of the wrong length in SPLICE_KEY's terms: base64 text, no SDK function to make one", () => {
    expect(() => parseKeys('k1:c2hvcnQta2V5')).toThrow(
      `SPLICE_KEY entry 1's key (id "k1") must be 32 bytes for AES-256-GCM, written as base64, got 9 bytes. Set SPLICE_KEY to <id>:<base64 32-byte key>[,…].`,
    );
    expect(() => parseKeys('k1:not base64!')).toThrow(
      `SPLICE_KEY entry 1's key (id "k1") must be 32 bytes for AES-256-GCM, written as base64, got text that is not base64. Set SPLICE_KEY to <id>:<base64 32-byte key>[,…].`,
    );
  });
});
