import { fileURLToPath } from 'node:url';
import { loadConnector, parseConnector, SpliceError } from '@splice/core';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

function minimal(): Record<string, unknown> {
  return {
    id: 'acme',
    name: 'Acme',
    version: '1',
    authMethods: [{ id: 'm', name: 'M', type: 'token' }],
    endpoints: [
      { id: 'e', name: 'E', method: 'GET', url: 'https://api.acme.example/x', authMethods: ['m'] },
    ],
  };
}

describe('parseConnector', () => {
  it('parses the SPEC §2 example and fills defaults', async () => {
    const acme = await loadConnector(fixture('acme.yaml'));
    expect(acme.id).toBe('acme');
    expect('$schema' in acme).toBe(false);
    expect(acme.endpoints[0]!.bodyFormat).toBe('json');
    expect(acme.endpoints[0]!.request).toEqual({ query: {}, headers: {}, body: {} });
    expect(acme.authMethods[0]!.variables[0]).toEqual({
      key: 'client_id',
      required: true,
      configurable: false,
      advanced: false,
      secret: false,
      locked: false,
    });
  });

  it('fills every default of a minimal definition', () => {
    const c = parseConnector(minimal());
    expect(c.variables).toEqual([]);
    expect(c.authMethods[0]).toEqual({
      id: 'm',
      name: 'M',
      type: 'token',
      timeoutSeconds: 30,
      variables: [],
      urls: {},
      request: { query: {}, headers: {}, body: {} },
    });
    expect(c.endpoints[0]).toMatchObject({
      direction: 'receive',
      dataType: 'json',
      bodyFormat: 'json',
      timeoutSeconds: 30,
      variables: [],
    });
  });

  it('reports an unknown field with its path', () => {
    const input = minimal();
    (input['endpoints'] as Record<string, unknown>[])[0]!['urll'] = 'x';
    const error = (() => {
      try {
        parseConnector(input);
      } catch (e) {
        return e;
      }
    })();
    expect(SpliceError.is(error, 'CONNECTOR_INVALID')).toBe(true);
    expect((error as SpliceError).details['issues']).toEqual([
      { path: 'endpoints[0].urll', code: 'unknown_field', message: expect.any(String) },
    ]);
  });
});
