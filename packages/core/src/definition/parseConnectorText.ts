import { createRequire } from 'node:module';
import { jsonParsePosition } from '../errors/jsonParsePosition.js';
import { jsonParseProblem } from '../errors/jsonParseProblem.js';
import type { DefinitionIssue } from '../strategy/AuthStrategy.js';
import { connectorInvalid } from './connectorInvalid.js';
import { type ParseConnectorOptions, parseConnector } from './parseConnector.js';
import { MAX_DEFINITION_DEPTH } from './treeIssue.js';
import type { ConnectorDefinition } from './types.js';

let yaml: typeof import('yaml') | undefined;
/**
 * The `yaml` package, loaded on the first YAML text (a process that parses none never loads its
 * ~70 CommonJS files). Synchronous, so `parseConnectorText` stays synchronous: a bundler sees the
 * literal `require('yaml')` and bundles it (its module then runs on this first call); unbundled
 * ES modules have no `require` and load it from this package's dependencies.
 */
function loadYaml(): typeof import('yaml') {
  yaml ??=
    typeof require === 'function'
      ? (require('yaml') as typeof import('yaml'))
      : (createRequire(import.meta.url)('yaml') as typeof import('yaml'));
  return yaml;
}

const STACK_EXHAUSTED = /Maximum call stack size exceeded/;

// Text nested so deeply that the parser ran out of stack: the `too_deep` issue parseConnector
// gives a parsed definition deeper than MAX_DEFINITION_DEPTH, where the parser said it.
function tooDeep(source: string | undefined, line?: number, column?: number) {
  const at = line === undefined ? '' : ` (the parser gave up at line ${line}, column ${column})`;
  return connectorInvalid(
    [
      {
        path: '',
        message: `is nested deeper than ${MAX_DEFINITION_DEPTH} levels${at}: flatten it`,
        code: 'too_deep',
        ...(line === undefined || column === undefined ? {} : { line, column }),
      },
    ],
    undefined,
    source,
  );
}

/**
 * Parses the text of a definition file: JSON for `.json`, YAML (1.2 core schema, duplicate keys
 * rejected) for `.yaml`/`.yml`. A syntax error is one `CONNECTOR_INVALID` issue
 * `{ path: '', code: 'syntax', message, line?, column? }` (the first the parser found), in both
 * formats with its line and column (from 1) in the message (`is not valid JSON at line 3,
 * column 13: Expected double-quoted property name`) and as `line`/`column` where the parser
 * placed it; the text itself is never quoted.
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
    // A byte order mark (editors on Windows write one) is not part of the JSON, as in YAML.
    const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    try {
      input = JSON.parse(json);
    } catch (error) {
      // Line and column, as YAML errors give them, instead of V8's character position.
      const position = jsonParsePosition(error, json);
      const reason = jsonParseProblem(error).replace(
        / (?:in JSON )?at position \d+(?: \(line \d+ column \d+\))?$/,
        '',
      );
      const at =
        position === undefined ? '' : ` at line ${position.line}, column ${position.column}`;
      throw connectorInvalid(
        [
          {
            path: '',
            message: `is not valid JSON${at}: ${reason}`,
            code: 'syntax',
            ...(position === undefined ? {} : { line: position.line, column: position.column }),
          },
        ],
        undefined,
        options.source,
      );
    }
  } else {
    const document = loadYaml().parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const first = document.errors[0];
    // The parser reports running out of stack (a few thousand nested brackets) as an error of the
    // text: it is the depth, said as parseConnector says it.
    if (first !== undefined && STACK_EXHAUSTED.test(first.message)) {
      const position = first.linePos?.[0];
      throw tooDeep(options.source, position?.line, position?.col);
    }
    if (first !== undefined) {
      // Only the first error: the parser's later ones are usually the same mistake seen again
      // (one unquoted "&" or ":" can yield a dozen), and fixing the first often fixes them all.
      const position = first.linePos?.[0];
      const at = position === undefined ? '' : ` at line ${position.line}, column ${position.col}`;
      const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      const issues: DefinitionIssue[] = [
        {
          path: '',
          message: `is not valid YAML${at}: ${reason}`,
          code: 'syntax',
          ...(position === undefined ? {} : { line: position.line, column: position.col }),
        },
      ];
      throw connectorInvalid(issues, undefined, options.source);
    }
    try {
      input = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      if (error instanceof RangeError && STACK_EXHAUSTED.test(error.message)) {
        throw tooDeep(options.source);
      }
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
