// OAuth 1.0a signing against the worked examples of RFC 5849, value for value.
import { createHmac } from 'node:crypto';
import type { OutgoingRequest } from '@splice/core';
import { describe, expect, it } from 'vitest';
import {
  baseStringUri,
  computeSignature,
  normalizeParameters,
  oauth1AuthorizationHeader,
  percentEncode,
  signatureBaseString,
} from '../src/oauth1/index.js';

const request = (
  method: string,
  url: string,
  body?: string,
  headers: Record<string, string> = {},
): OutgoingRequest => ({ method, url, headers, body });

// RFC 5849 §3.4.1.1: the request of the §3.4.1 examples, its form body included.
const EXAMPLE = request(
  'POST',
  'http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
  'c2&a3=2+q',
  { 'content-type': 'application/x-www-form-urlencoded' },
);
const EXAMPLE_PROTOCOL = {
  oauth_consumer_key: '9djdj82h48djs9d2',
  oauth_token: 'kkk9d7dh3k39sjv7',
  oauth_signature_method: 'HMAC-SHA1',
  oauth_timestamp: '137131201',
  oauth_nonce: '7d8f3e4a',
};

/** The value of `name` in an `Authorization: OAuth …` header, still encoded. */
function headerParam(header: string, name: string): string | undefined {
  return new RegExp(`(?:OAuth |, )${name}="([^"]*)"`).exec(header)?.[1];
}

describe('percentEncode (RFC 5849 §3.6)', () => {
  it('leaves only ALPHA, DIGIT, "-", ".", "_", "~" and encodes the rest as upper-case %XX of UTF-8', () => {
    expect(percentEncode('AZaz09-._~')).toBe('AZaz09-._~');
    expect(percentEncode("r b+!'()*")).toBe('r%20b%2B%21%27%28%29%2A');
    expect(percentEncode('=%3D')).toBe('%3D%253D');
    expect(percentEncode('c@')).toBe('c%40');
    expect(percentEncode('£€🔑')).toBe('%C2%A3%E2%82%AC%F0%9F%94%91');
  });
});

describe('baseStringUri (RFC 5849 §3.4.1.2)', () => {
  it('gives the RFC’s two examples', () => {
    expect(baseStringUri('HTTP://EXAMPLE.COM:80/r%20v/X?id=123')).toBe(
      'http://example.com/r%20v/X',
    );
    expect(baseStringUri('https://www.example.net:8080/?q=1')).toBe(
      'https://www.example.net:8080/',
    );
  });

  it('drops 443 for https, keeps other ports, and uses "/" for an empty path', () => {
    expect(baseStringUri('https://api.example:443/v1/x#frag')).toBe('https://api.example/v1/x');
    expect(baseStringUri('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080/');
  });
});

describe('normalizeParameters (RFC 5849 §3.4.1.3.2)', () => {
  it('gives the RFC’s concatenated string for its decoded parameters', () => {
    const decoded: [string, string][] = [
      ['b5', '=%3D'],
      ['a3', 'a'],
      ['c@', ''],
      ['a2', 'r b'],
      ['oauth_consumer_key', '9djdj82h48djs9d2'],
      ['oauth_token', 'kkk9d7dh3k39sjv7'],
      ['oauth_signature_method', 'HMAC-SHA1'],
      ['oauth_timestamp', '137131201'],
      ['oauth_nonce', '7d8f3e4a'],
      ['c2', ''],
      ['a3', '2 q'],
    ];
    expect(normalizeParameters(decoded)).toBe(
      'a2=r%20b&a3=2%20q&a3=a&b5=%3D%253D&c%40=&c2=&oauth_consumer_key=9djdj82h48djs9d2&oauth_nonce=7d8f3e4a&oauth_signature_method=HMAC-SHA1&oauth_timestamp=137131201&oauth_token=kkk9d7dh3k39sjv7',
    );
  });
});

describe('signatureBaseString (RFC 5849 §3.4.1.1, §3.4.1.3.1)', () => {
  it('gives the RFC’s base string: query and form body decoded ("+" is a space), duplicates kept', () => {
    expect(signatureBaseString(EXAMPLE, EXAMPLE_PROTOCOL)).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('leaves oauth_signature and realm out, and the body of any other content type', () => {
    const withExtras = { ...EXAMPLE_PROTOCOL, oauth_signature: 'x', realm: 'Example' };
    expect(signatureBaseString(EXAMPLE, withExtras)).toBe(
      signatureBaseString(EXAMPLE, EXAMPLE_PROTOCOL),
    );
    const json = { ...EXAMPLE, headers: { 'content-type': 'application/json' } };
    expect(signatureBaseString(json, EXAMPLE_PROTOCOL)).not.toContain('c2%3D');
    // A byte body of the form type counts like the text.
    const bytes = { ...EXAMPLE, body: new TextEncoder().encode('c2&a3=2+q') };
    expect(signatureBaseString(bytes, EXAMPLE_PROTOCOL)).toBe(
      signatureBaseString(EXAMPLE, EXAMPLE_PROTOCOL),
    );
  });
});

describe('the signatures of the RFC 5849 §1.2 example', () => {
  const client = { key: 'dpf43f3p2l4k3l03', secret: 'kd94hf93k423kf44' };
  const steps = [
    {
      step: 'the temporary credential request',
      request: request('POST', 'https://photos.example.net/initiate'),
      protocol: { oauth_timestamp: '137131200', oauth_nonce: 'wIjqoS' },
      extra: { oauth_callback: 'http://printer.example.com/ready' },
      tokenSecret: '',
      signature: '74KNZJeDHnMBp0EMJ9ZHt%2FXKycU%3D',
    },
    {
      step: 'the token request',
      request: request('POST', 'https://photos.example.net/token'),
      protocol: {
        oauth_token: 'hh5s93j4hdidpola',
        oauth_timestamp: '137131201',
        oauth_nonce: 'walatlh',
      },
      extra: { oauth_verifier: 'hfdp7dh39dks9884' },
      tokenSecret: 'hdhd0244k9j7ao03',
      signature: 'gKgrFCywp7rO0OXSjdot%2FIHF7IU%3D',
    },
    {
      step: 'the protected resource request, query included',
      request: request('GET', 'http://photos.example.net/photos?file=vacation.jpg&size=original'),
      protocol: {
        oauth_token: 'nnch734d00sl2jdk',
        oauth_timestamp: '137131202',
        oauth_nonce: 'chapoH',
      },
      extra: {},
      tokenSecret: 'pfkkdhi9sl3r4s00',
      signature: 'MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D',
    },
  ];

  for (const { step, request: signed, protocol, extra, tokenSecret, signature } of steps) {
    it(`signs ${step}: ${decodeURIComponent(signature)}`, () => {
      const header = oauth1AuthorizationHeader(
        signed,
        {
          oauth_consumer_key: client.key,
          oauth_signature_method: 'HMAC-SHA1',
          ...protocol,
          ...extra,
        },
        { consumerSecret: client.secret, tokenSecret },
        'Photos',
      );
      expect(header.startsWith('OAuth realm="Photos", oauth_consumer_key="dpf43f3p2l4k3l03"')).toBe(
        true,
      );
      for (const [name, value] of Object.entries(extra))
        expect(headerParam(header, name)).toBe(percentEncode(value));
      expect(headerParam(header, 'oauth_signature')).toBe(signature);
    });
  }
});

describe('computeSignature (RFC 5849 §3.4.2)', () => {
  it('keys the HMAC with both encoded secrets joined by "&", even when one is empty', () => {
    const base = signatureBaseString(EXAMPLE, EXAMPLE_PROTOCOL);
    const hmac = (key: string) => createHmac('sha1', key).update(base).digest('base64');
    expect(computeSignature('HMAC-SHA1', base, 'a&b c', '')).toBe(hmac('a%26b%20c&'));
    expect(computeSignature('HMAC-SHA1', base, '', 'x~y')).toBe(hmac('&x~y'));
    expect(computeSignature('HMAC-SHA1', base, 'j49sk3j29djd', 'dh893hdasih9')).toBe(
      hmac('j49sk3j29djd&dh893hdasih9'),
    );
  });

  it('signs with SHA-256 for HMAC-SHA256 (a 32-byte digest)', () => {
    const base = signatureBaseString(EXAMPLE, EXAMPLE_PROTOCOL);
    const sha1 = computeSignature('HMAC-SHA1', base, 'j49sk3j29djd', 'dh893hdasih9');
    const sha256 = computeSignature('HMAC-SHA256', base, 'j49sk3j29djd', 'dh893hdasih9');
    expect(Buffer.from(sha1, 'base64')).toHaveLength(20);
    expect(Buffer.from(sha256, 'base64')).toHaveLength(32);
  });
});
