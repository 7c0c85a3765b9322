import { inspect } from 'node:util';
import {
  compileOriginPatterns,
  compileTemplate,
  compileUrlTemplate,
  originPatternProblem,
  SpliceError,
  type Template,
} from '@splice/core';
import { describe, expect, it } from 'vitest';

function thrown(fn: () => unknown): SpliceError {
  try {
    fn();
  } catch (error) {
    if (SpliceError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a SpliceError, nothing was thrown');
}

const SECRET = 'sekret-value-123';

describe('compileTemplate', () => {
  it('replaces placeholders, with whitespace allowed inside the braces', () => {
    const t = compileTemplate('Bearer {{ access_token }} / {{access_token}}{{  x  }}', 'text');
    expect(t.render({ access_token: 't', x: 'y' })).toBe('Bearer t / ty');
  });

  it('lists keys once, in order of first appearance', () => {
    expect(compileTemplate('{{b}}{{a}}{{b}}{{ c }}', 'text').keys).toEqual(['b', 'a', 'c']);
  });

  it('returns the source itself when there is no placeholder, without reading values', () => {
    const source = 'plain text';
    const t = compileTemplate(source, 'header', 'h');
    expect(t.keys).toEqual([]);
    const values = new Proxy(
      {},
      {
        get() {
          throw new Error('values were read');
        },
      },
    );
    expect(t.render(values)).toBe(source);
  });

  it('inserts values verbatim for text, body and query targets', () => {
    for (const target of ['text', 'body', 'query'] as const) {
      expect(compileTemplate('a={{v}}', target).render({ v: 'x y&z\n' })).toBe('a=x y&z\n');
    }
  });

  it('throws TEMPLATE_UNRESOLVED naming every missing key and the template, never a value', () => {
    const t = compileTemplate('{{a}} {{b}} {{c}}', 'header', 'request.headers.X');
    const error = thrown(() => t.render({ b: SECRET }));
    expect(error.code).toBe('TEMPLATE_UNRESOLVED');
    expect(error.details).toEqual({ key: 'a', keys: ['a', 'c'], template: 'request.headers.X' });
    expect(error.message).toContain('"a", "c"');
    expect(error.message).toContain('request.headers.X');
    expect(error.message).not.toContain(SECRET);
  });

  it('treats prototype names and non-string values as unresolved', () => {
    const t = compileTemplate('{{constructor}}{{toString}}', 'text', 't');
    expect(thrown(() => t.render({})).details['keys']).toEqual(['constructor', 'toString']);
    const n = compileTemplate('{{n}}', 'text', 'n');
    expect(thrown(() => n.render({ n: 1 as unknown as string })).code).toBe('TEMPLATE_UNRESOLVED');
  });

  it('rejects CR, LF and NUL in a header value without echoing the value', () => {
    const t = compileTemplate('Bearer {{token}}', 'header', 'apply.headers.Authorization');
    for (const bad of [`${SECRET}\r\nX-Evil: 1`, `${SECRET}\n`, `\r${SECRET}`, `a\0b`]) {
      const error = thrown(() => t.render({ token: bad }));
      expect(error.code).toBe('TEMPLATE_UNSAFE_VALUE');
      expect(error.details).toEqual({ key: 'token', template: 'apply.headers.Authorization' });
      expect(error.message).not.toContain(SECRET);
    }
    expect(t.render({ token: 'ok\tvalue' })).toBe('Bearer ok\tvalue');
  });

  it('rejects every other control character and anything above U+00FF in a header value', () => {
    const t = compileTemplate('Bearer {{token}}', 'header', 'apply.headers.Authorization');
    const bad = ['\u0001', '\u0008', '\u000b', '\u001f', '\u007f', '\u0085', '\u0100', '€', '😀'];
    for (const c of bad) {
      const error = thrown(() => t.render({ token: `${SECRET}${c}` }));
      expect(error.code, JSON.stringify(c)).toBe('TEMPLATE_UNSAFE_VALUE');
      expect(error.details).toEqual({ key: 'token', template: 'apply.headers.Authorization' });
      expect(error.message).toContain('"token"');
      expect(error.message).not.toContain(SECRET);
    }
    // Printable Latin-1 (obs-text) and tab stay allowed.
    expect(t.render({ token: 'caf\u00e9\t\u00a0\u00ff ~' })).toBe(
      'Bearer caf\u00e9\t\u00a0\u00ff ~',
    );
  });

  it('refuses a header template with a literal line break or control character', () => {
    for (const source of ['a\r\nb: {{x}}', 'a\u0007{{x}}', 'a\u2028{{x}}']) {
      const error = thrown(() => compileTemplate(source, 'header', 'h'));
      expect(error.code).toBe('CONNECTOR_INVALID');
    }
  });

  it('refuses an unclosed placeholder and a malformed key', () => {
    expect(thrown(() => compileTemplate('a {{b', 'text', 't')).message).toContain('unclosed');
    expect(thrown(() => compileTemplate('{{ a b }}', 'text', 't')).code).toBe('CONNECTOR_INVALID');
    expect(thrown(() => compileTemplate('{{}}', 'text', 't')).code).toBe('CONNECTOR_INVALID');
    expect(thrown(() => compileTemplate('{{a!}}', 'text', 't')).code).toBe('CONNECTOR_INVALID');
  });

  it('keeps no state between compilations: each call compiles its own template', () => {
    const first = compileTemplate('{{a}}', 'text', 'n');
    const second = compileTemplate('{{a}}', 'text', 'n');
    expect(first).not.toBe(second);
    expect(first.render({ a: 'x' })).toBe(second.render({ a: 'x' }));
  });

  it('throws a TypeError for a non-string source', () => {
    expect(() => compileTemplate(1 as unknown as string, 'text')).toThrow(
      expect.objectContaining({ name: 'TypeError', code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('compileUrlTemplate', () => {
  const url = (source: string): Template => compileUrlTemplate(source, 'endpoints[0].url');

  it('encodes a path value with encodeURIComponent', () => {
    const t = url('https://api.acme.example/{{account}}/orders');
    expect(t.render({ account: 'a b/../c?d#e' })).toBe(
      'https://api.acme.example/a%20b%2F..%2Fc%3Fd%23e/orders',
    );
  });

  it('encodes a query value as a query value', () => {
    const t = url('https://api.acme.example/orders?status={{status}}&x=1');
    const rendered = t.render({ status: 'a&b=c+d #e' });
    expect(rendered).toBe('https://api.acme.example/orders?status=a%26b%3Dc%2Bd%20%23e&x=1');
    expect(new URL(rendered).searchParams.get('status')).toBe('a&b=c+d #e');
    expect(new URL(rendered).searchParams.get('x')).toBe('1');
  });

  it('encodes a fragment value', () => {
    expect(url('https://a.example/#{{f}}').render({ f: 'x y#z' })).toBe(
      'https://a.example/#x%20y%23z',
    );
  });

  it('accepts a whole DNS label as a host value and nothing else', () => {
    const t = url('https://{{store}}.shop.example/admin');
    expect(t.render({ store: 'my-store-1' })).toBe('https://my-store-1.shop.example/admin');
    expect(t.origin).toBeUndefined();
    for (const bad of ['evil.example/', 'a.b', 'x@evil', 'a:1', '', 'a'.repeat(64), 'ü', 'a b']) {
      const error = thrown(() => t.render({ store: bad }));
      expect(error.code).toBe('TEMPLATE_UNSAFE_VALUE');
      expect(error.details).toEqual({ key: 'store', template: 'endpoints[0].url' });
    }
    expect(t.render({ store: 'a'.repeat(63) })).toBe(
      `https://${'a'.repeat(63)}.shop.example/admin`,
    );
  });

  it('refuses a DNS label the URL parser refuses, naming the variable and nothing of the URL', () => {
    const t = url('https://{{store}}.shop.example/admin?token={{token}}');
    for (const bad of ['xn--zz', 'XN--ZZ', 'xn--', 'xn--a']) {
      const error = thrown(() => t.render({ store: bad, token: SECRET }));
      expect(error.code).toBe('TEMPLATE_UNSAFE_VALUE');
      expect(error.details).toEqual({ key: 'store', template: 'endpoints[0].url' });
      expect(error.message).toContain('"store"');
      expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(SECRET);
    }
    expect(t.render({ store: 'xn--ls8h', token: 't' })).toBe(
      'https://xn--ls8h.shop.example/admin?token=t',
    );
    // A last label that reads as a number makes the host an IPv4 address, which it is not.
    const last = url('https://api.{{tld}}/x');
    for (const bad of ['1', '0x1', '09']) {
      expect(thrown(() => last.render({ tld: bad })).details).toEqual({
        key: 'tld',
        template: 'endpoints[0].url',
      });
    }
    expect(last.render({ tld: 'example' })).toBe('https://api.example/x');
  });

  it('allows host placeholders in the middle of the host', () => {
    const t = url('https://api.{{region}}.acme.example:8443/x');
    expect(t.render({ region: 'eu' })).toBe('https://api.eu.acme.example:8443/x');
  });

  it('refuses a placeholder inside a host label', () => {
    for (const source of [
      'https://shop-{{store}}.example/',
      'https://{{store}}shop.example/',
      'https://a.{{x}}{{y}}.example/',
    ]) {
      expect(thrown(() => url(source)).message).toContain('whole DNS label');
    }
  });

  it('refuses a host made only of placeholders', () => {
    expect(thrown(() => url('https://{{host}}/x')).code).toBe('CONNECTOR_INVALID');
    expect(thrown(() => url('https://{{a}}.{{b}}/x')).code).toBe('CONNECTOR_INVALID');
  });

  it('refuses a placeholder in the scheme or the port', () => {
    expect(thrown(() => url('{{scheme}}://a.example/')).message).toContain('scheme');
    expect(thrown(() => url('https://a.example:{{port}}/')).message).toContain('port');
  });

  it('refuses userinfo', () => {
    expect(thrown(() => url('https://user:pw@a.example/')).message).toContain('userinfo');
    expect(thrown(() => url('https://{{user}}@a.example/')).message).toContain('userinfo');
  });

  it('refuses what is not an absolute URL', () => {
    expect(thrown(() => url('/relative/{{x}}')).code).toBe('CONNECTOR_INVALID');
    expect(thrown(() => url('https://')).code).toBe('CONNECTOR_INVALID');
    expect(thrown(() => url('https://a b.example/')).message).toContain('not a valid URL');
  });

  it('requires https: except for loopback hosts', () => {
    for (const source of [
      'http://api.acme.example/x',
      'http://10.0.0.1/x',
      'http://localhost.evil.example/x',
      'http://{{sub}}.localhost/x',
      'ftp://a.example/x',
    ]) {
      const error = thrown(() => url(source));
      expect(error.code, source).toBe(
        source.startsWith('ftp') ? 'CONNECTOR_INVALID' : 'INSECURE_URL',
      );
    }
    for (const source of [
      'http://localhost:8080/{{x}}',
      'http://127.0.0.1:3000/x',
      'http://127.10.20.30/x',
      'http://[::1]:9000/x',
      'HTTPS://A.example/x',
    ]) {
      expect(() => url(source)).not.toThrow();
    }
  });

  it('refuses a value that would make a "." or ".." path segment', () => {
    const t = url('https://a.example/v1/{{id}}/orders');
    for (const bad of ['.', '..']) {
      expect(thrown(() => t.render({ id: bad })).code).toBe('TEMPLATE_UNSAFE_VALUE');
    }
    expect(t.render({ id: '...' })).toBe('https://a.example/v1/.../orders');
    expect(t.render({ id: '.x' })).toBe('https://a.example/v1/.x/orders');
    const joined = url('https://a.example/v1/.{{a}}{{b}}/x');
    expect(thrown(() => joined.render({ a: '.', b: '' })).code).toBe('TEMPLATE_UNSAFE_VALUE');
    expect(thrown(() => joined.render({ a: '', b: '.' })).code).toBe('TEMPLATE_UNSAFE_VALUE');
    expect(joined.render({ a: '.', b: '.' })).toBe('https://a.example/v1/.../x');
    // In a query a dot is just a dot.
    expect(url('https://a.example/x?p={{p}}').render({ p: '..' })).toBe('https://a.example/x?p=..');
  });

  it('refuses a lone surrogate instead of throwing a URIError', () => {
    const error = thrown(() => url('https://a.example/{{x}}').render({ x: '\uD800' }));
    expect(error.code).toBe('TEMPLATE_UNSAFE_VALUE');
  });

  it('exposes the fixed origin of a template with a literal host', () => {
    expect(url('https://API.acme.example:443/{{a}}').origin).toBe('https://api.acme.example');
    expect(url('http://127.0.0.1:8080/x').origin).toBe('http://127.0.0.1:8080');
  });

  it('names the template in unresolved-key errors', () => {
    const error = thrown(() => url('https://a.example/{{account}}').render({}));
    expect(error.code).toBe('TEMPLATE_UNRESOLVED');
    expect(error.message).toContain('endpoints[0].url');
    expect(error.message).toContain('"account"');
  });
});

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
