import {
  compileOriginPatterns,
  compileTemplate,
  compileUrlTemplate,
  originPatternProblem,
  SpliceError,
} from '@splice/core';
import { describe, expect, it } from 'vitest';

function thrown(fn: () => unknown): SpliceError {
  try {
    fn();
  } catch (error) {
    if (SpliceError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a SpliceError');
}

describe('template filters', () => {
  it('turns a NetSuite account id into its host label before encoding', () => {
    const url = compileUrlTemplate(
      'https://{{ account | lower | replace:"_":"-" }}.suitetalk.api.netsuite.com/services/rest',
      'endpoints[0].url',
    );
    expect(url.keys).toEqual(['account']);
    expect(url.render({ account: '1234567_SB1' })).toBe(
      'https://1234567-sb1.suitetalk.api.netsuite.com/services/rest',
    );
  });

  it('applies filters in order, then encodes for where the value lands', () => {
    const url = compileUrlTemplate('https://a.example/{{q | trim | upper | replace:" ":"/"}}');
    // The "/" a filter made is still a path value: encoded, never a segment separator.
    expect(url.render({ q: '  a b ' })).toBe('https://a.example/A%2FB');
    expect(compileTemplate('{{x|replace:"\\"":"\'"}}', 'body').render({ x: 'say "hi"' })).toBe(
      "say 'hi'",
    );
  });

  it('still refuses what a header may not hold after a filter', () => {
    const header = compileTemplate('{{v | replace:"-":"\n"}}', 'header', 'h');
    expect(thrown(() => header.render({ v: 'a-b' })).code).toBe('TEMPLATE_UNSAFE_VALUE');
  });

  it.each([
    ['{{a | lowercase}}', 'unknown filter "lowercase"'],
    ['{{a | }}', 'unknown filter (nothing after "|")'],
    ['{{a | replace:"x"}}', 'takes 2'],
    ['{{a | replace:x:"y"}}', 'not a double-quoted string'],
    ['{{a | lower:"x"}}', 'takes 0'],
    ['{{a | replace:"":"y"}}', 'empty "from"'],
    ['{{a b}}', 'filters follow "|"'],
  ])('refuses %s as a definition error', (source, message) => {
    const error = thrown(() => compileTemplate(source, 'text', 'body.x'));
    expect(error.code).toBe('CONNECTOR_INVALID');
    expect(error.message).toContain(message);
  });

  it('says which form a host label accepts, without the value', () => {
    const url = compileUrlTemplate('https://{{account}}.suitetalk.api.netsuite.com/x', 'u');
    const error = thrown(() => url.render({ account: '1234567_SB1' }));
    expect(error.code).toBe('TEMPLATE_UNSAFE_VALUE');
    expect(error.message).toContain('holds "_"');
    expect(error.message).toContain('1-63 letters, digits or "-"');
    expect(error.message).toContain('| replace:"_":"-"');
    expect(error.message).not.toContain('1234567');
  });
});

describe('origin patterns', () => {
  const salesforce = compileOriginPatterns(['https://*.my.salesforce.com']);

  it('accepts exactly an origin one pattern allows', () => {
    expect(salesforce.match('https://acme.my.salesforce.com')).toBe(
      'https://acme.my.salesforce.com',
    );
    expect(salesforce.match('https://ACME.my.salesforce.com/')).toBe(
      'https://acme.my.salesforce.com',
    );
  });

  it.each([
    'https://evil.example',
    'https://my.salesforce.com',
    'https://a.b.my.salesforce.com',
    'http://acme.my.salesforce.com',
    'https://acme.my.salesforce.com.evil.example',
    'https://acme.my.salesforce.com/services',
    'https://acme.my.salesforce.com?x=1',
    'https://user@acme.my.salesforce.com',
    'https://acme.my.salesforce.com:8443',
    'https://acme.my.salesforce.com:443',
    'https://evil.example\\@acme.my.salesforce.com',
    'https://evil.example#acme.my.salesforce.com',
    '//acme.my.salesforce.com',
    'acme.my.salesforce.com',
    '',
  ])('refuses %j', (value) => {
    expect(salesforce.match(value)).toBeUndefined();
  });

  it('takes a list of literal hosts and loopback http with a port', () => {
    const zoho = compileOriginPatterns(['https://www.zohoapis.com', 'https://www.zohoapis.eu']);
    expect(zoho.match('https://www.zohoapis.eu')).toBe('https://www.zohoapis.eu');
    expect(zoho.match('https://www.zohoapis.com.au')).toBeUndefined();
    const local = compileOriginPatterns(['http://127.0.0.1:8080']);
    expect(local.match('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(local.match('http://127.0.0.1:8081')).toBeUndefined();
  });

  it.each([
    ['https://*.com', 'two literal labels'],
    ['https://a*.example.com', 'whole leftmost labels'],
    ['https://api.*.example.com', 'whole leftmost labels'],
    ['http://api.example.com', 'loopback'],
    ['https://api.example.com/path', 'no path'],
    ['*.example.com', 'no path'],
  ])('refuses the pattern %s', (pattern, message) => {
    expect(originPatternProblem(pattern)).toContain(message);
  });

  it('lets a URL template begin with an allowed origin and nothing else', () => {
    const url = compileUrlTemplate('{{instance_url}}/services/data/v59.0/{{object}}', 'u', {
      origins: { instance_url: salesforce },
    });
    expect(url.origin).toBeUndefined();
    expect(url.render({ instance_url: 'https://acme.my.salesforce.com', object: 'a/b' })).toBe(
      'https://acme.my.salesforce.com/services/data/v59.0/a%2Fb',
    );
    const error = thrown(() => url.render({ instance_url: 'https://evil.example', object: 'x' }));
    expect(error.code).toBe('TEMPLATE_UNSAFE_VALUE');
    expect(error.message).toContain('https://*.my.salesforce.com');
    expect(error.message).not.toContain('evil');
  });

  it('refuses an origin placeholder that was not declared, transformed or not followed by "/"', () => {
    expect(thrown(() => compileUrlTemplate('{{instance_url}}/x', 'u')).message).toContain(
      'allowed "origins"',
    );
    const options = { origins: { instance_url: salesforce } };
    expect(thrown(() => compileUrlTemplate('{{instance_url|lower}}/x', 'u', options)).code).toBe(
      'CONNECTOR_INVALID',
    );
    expect(
      thrown(() => compileUrlTemplate('{{instance_url}}.evil.example/x', 'u', options)).message,
    ).toContain('must continue with "/"');
    expect(
      thrown(() => compileUrlTemplate('{{instance_url}}{{path}}', 'u', options)).message,
    ).toContain('must continue with "/"');
  });

  it('still refuses a path value that would climb out of the path', () => {
    const url = compileUrlTemplate('{{instance_url}}/a/{{id}}/b', 'u', {
      origins: { instance_url: salesforce },
    });
    expect(
      thrown(() => url.render({ instance_url: 'https://acme.my.salesforce.com', id: '..' })).code,
    ).toBe('TEMPLATE_UNSAFE_VALUE');
  });
});
