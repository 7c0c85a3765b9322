// Every built-in definition: valid for `splice validate`, with a $schema, the provider's doc page,
// and at least three endpoints (receive and send) per auth method.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { validateConnectorFile } from '@splice/cli';
import { describe, expect, it } from 'vitest';
import { CONNECTOR_NAMES, connectorDefinition, connectorFile } from '../src/index.js';

describe('built-in definitions', () => {
  it('lists exactly the YAML files shipped', () => {
    const files = readdirSync(dirname(connectorFile('salesforce')))
      .filter((file) => file.endsWith('.yaml'))
      .map((file) => basename(file, '.yaml'))
      .sort();
    expect(files).toEqual([...CONNECTOR_NAMES].sort());
  });

  it('refuses an unknown name with the list of names', () => {
    expect(() => connectorFile('acme')).toThrow(
      expect.objectContaining({
        name: 'TypeError',
        code: 'INVALID_ARGUMENT',
        message: expect.stringContaining('salesforce'),
      }),
    );
  });

  describe.each(CONNECTOR_NAMES)('%s', (name) => {
    it('passes splice validate', async () => {
      const report = await validateConnectorFile(connectorFile(name));
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual([]);
      expect(report.connector?.id).toBe(name);
    });

    it("points at core's JSON schema and at the provider's documentation", () => {
      const text = readFileSync(connectorFile(name), 'utf8');
      expect(text.split('\n')[0]).toBe('$schema: ../../core/connector.schema.json');
      for (const method of connectorDefinition(name).authMethods) {
        expect(method.documentationUrl).toMatch(/^https:\/\//);
      }
    });

    it('enables at least three endpoints per method, receiving and sending', () => {
      const definition = connectorDefinition(name);
      for (const method of definition.authMethods) {
        const enabled = definition.endpoints.filter((e) => e.authMethods.includes(method.id));
        expect(enabled.length).toBeGreaterThanOrEqual(3);
        expect(new Set(enabled.map((e) => e.direction))).toEqual(new Set(['receive', 'send']));
      }
    });
  });
});
