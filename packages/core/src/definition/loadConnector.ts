import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { invalidArgument } from '../errors/invalidArgument.js';
import type { DefinitionIssue } from '../strategy/AuthStrategy.js';
import { connectorInvalid, type ParseConnectorOptions, parseConnector } from './parseConnector.js';
import type { ConnectorDefinition } from './types.js';

/**
 * Parses the text of a definition file: JSON for `.json`, YAML (1.2 core schema, duplicate keys
 * rejected) for `.yaml`/`.yml`. Syntax errors are `CONNECTOR_INVALID` issues with line and column.
 *
 * @example
 * ```ts
 * const acme = parseConnectorText(yamlText, 'yaml', { source: 'acme.yaml' });
 * ```
 */
export function parseConnectorText(
  text: string,
  format: 'json' | 'yaml',
  options: ParseConnectorOptions = {},
): ConnectorDefinition {
  let input: unknown;
  if (format === 'json') {
    try {
      input = JSON.parse(text);
    } catch (error) {
      throw connectorInvalid(
        [{ path: '', message: `is not valid JSON: ${(error as Error).message}`, code: 'syntax' }],
        undefined,
        options.source,
      );
    }
  } else {
    const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (document.errors.length > 0) {
      const issues: DefinitionIssue[] = document.errors.map((error) => ({
        path: '',
        message: `is not valid YAML: ${error.message.split('\n')[0]}`,
        code: 'syntax',
      }));
      throw connectorInvalid(issues, undefined, options.source);
    }
    input = document.toJS({ maxAliasCount: 100 });
  }
  return parseConnector(input, options);
}

/**
 * Reads and validates a connector definition file (`.json`, `.yaml` or `.yml`): see
 * `parseConnector`. File-system errors (`ENOENT`, ...) are thrown as they are.
 *
 * @example
 * ```ts
 * const acme = await loadConnector('connectors/acme.yaml', { strategies });
 * ```
 */
export async function loadConnector(
  path: string,
  options: ParseConnectorOptions = {},
): Promise<ConnectorDefinition> {
  if (typeof path !== 'string' || path === '') {
    throw invalidArgument('"path" must be a non-empty file path');
  }
  const extension = extname(path).toLowerCase();
  const format =
    extension === '.json'
      ? 'json'
      : extension === '.yaml' || extension === '.yml'
        ? 'yaml'
        : undefined;
  if (format === undefined) {
    throw invalidArgument(`"path" must end in .json, .yaml or .yml, got "${extension || path}"`);
  }
  const text = await readFile(path, 'utf8');
  return parseConnectorText(text, format, { source: path, ...options });
}
