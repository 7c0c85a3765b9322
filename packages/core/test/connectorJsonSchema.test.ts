import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectorJsonSchema } from '@splice/core';
import { describe, expect, it } from 'vitest';

const committed = fileURLToPath(new URL('../connector.schema.json', import.meta.url));

describe('connectorJsonSchema', () => {
  it('matches the committed connector.schema.json (run `pnpm --filter @splice/core gen:schema`)', () => {
    const expected = `${JSON.stringify(connectorJsonSchema(), null, 2)}\n`;
    expect(readFileSync(committed, 'utf8')).toBe(expected);
  });

  it('describes the input side: strict objects, required fields, optional defaults', () => {
    const schema = connectorJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, unknown>;
      $defs: Record<
        string,
        { required?: string[]; properties: Record<string, { default?: unknown }> }
      >;
    };
    expect(schema.required).toEqual(['id', 'name', 'version', 'authMethods', 'endpoints']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toContain('$schema');
    expect(schema.$defs['Endpoint']!.required).toEqual(['id', 'name', 'method', 'url']);
    expect(schema.$defs['Endpoint']!.properties['dataType']!.default).toBe('json');
    expect(schema.$defs['Variable']!.properties['required']!.default).toBe(false);
    expect(schema.$defs['Variable']!.properties['default']).toMatchObject({
      type: ['string', 'number', 'boolean'],
    });
  });
});
