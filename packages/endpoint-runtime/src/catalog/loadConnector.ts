import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import {
  type ConnectorDefinition,
  invalidArgument,
  type ParseConnectorOptions,
  parseConnectorText,
} from '@splice/core';

/**
 * Reads and validates a connector definition file (`.json`, `.yaml` or `.yml`): see core's
 * `parseConnectorText` (core does no I/O, so reading files lives here). File-system errors
 * (`ENOENT`, ...) are thrown as they are.
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
