import { parseDocument } from 'yaml';
import type { DefinitionIssue } from '../strategy/AuthStrategy.js';
import { connectorInvalid } from './connectorInvalid.js';
import { type ParseConnectorOptions, parseConnector } from './parseConnector.js';
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
    try {
      input = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // yaml resolves aliases only here and throws its own ReferenceError for "*x" without an
      // "&x" anchor or past maxAliasCount (a "billion laughs" guard): a definition error.
      const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw connectorInvalid(
        [
          {
            path: '',
            message: `is not valid YAML: ${detail}. Every alias "*name" needs an anchor "&name" defined before it, and at most 100 aliases may be used`,
            code: 'syntax',
          },
        ],
        undefined,
        options.source,
      );
    }
  }
  return parseConnector(input, options);
}
