import { createRequire } from 'node:module';
import { jsonParsePosition } from '../errors/jsonParsePosition.js';
import { jsonParseProblem } from '../errors/jsonParseProblem.js';
import { utf16TextProblem } from '../errors/utf16TextProblem.js';
import type { DefinitionIssue } from '../strategy/AuthStrategy.js';
import { joinPath } from './checkConnector.js';
import { connectorInvalid } from './connectorInvalid.js';
import { type ParseConnectorOptions, parseConnector } from './parseConnector.js';
import { cycleIssue, MAX_DEFINITION_DEPTH } from './treeIssue.js';
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
 * How many times one anchor's value may be expanded by aliases (`yaml`'s `maxAliasCount`: an
 * alias of a value that itself holds aliases counts as that many expansions). It keeps a few
 * lines of nested aliases ("billion laughs") from becoming a definition every later check walks
 * copy by copy.
 */
const MAX_ALIAS_EXPANSIONS = 100;

type Yaml = typeof import('yaml');

// The definition path (as `joinPath` writes it) of the last of `nodes`, each the parent of the
// next (the document first, as yaml's `visit` gives them): a pair adds its key when the path goes
// on through its value, a sequence the index of its item.
function definitionPath(yaml: Yaml, nodes: readonly unknown[]): string {
  let path = '';
  for (let i = 1; i < nodes.length; i++) {
    const parent = nodes[i - 1];
    const child = nodes[i];
    if (yaml.isPair(parent) && child === parent.value) {
      const key = yaml.isScalar(parent.key) ? parent.key.value : parent.key;
      path = joinPath(path, String(key));
    } else if (yaml.isSeq(parent)) {
      path = joinPath(path, parent.items.indexOf(child));
    }
  }
  return path;
}

/**
 * The issue for an alias `toJS` refused (`error`), found in one walk of the document in its
 * order, which is how yaml resolves an alias (to the last anchor of its name before it): an alias
 * without an anchor before it, else one inside its own anchor's value (the `cycle` issue
 * parseConnector gives: yaml counts it as too many expansions when the value also holds other
 * items and is aliased often), else where one anchor is used more than
 * {@link MAX_ALIAS_EXPANSIONS} times, else the limit reached through aliases inside aliased
 * values.
 */
function aliasIssue(
  document: ReturnType<Yaml['parseDocument']>,
  lineCounter: InstanceType<Yaml['LineCounter']>,
  error: unknown,
): DefinitionIssue {
  const yaml = loadYaml();
  const anchors = new Map<string, unknown>();
  const uses = new Map<unknown, number>();
  let found: DefinitionIssue | undefined;
  let overused: DefinitionIssue | undefined;
  yaml.visit(document, {
    Node(_key, node, ancestors) {
      if (!yaml.isAlias(node)) {
        if (node.anchor !== undefined) anchors.set(node.anchor, node);
        return undefined;
      }
      const { source } = node;
      const anchor = anchors.get(source);
      const position = lineCounter.linePos(node.range?.[0] ?? 0);
      const at = { line: position.line, column: position.col };
      const where = `at line ${at.line}, column ${at.column}`;
      if (anchor === undefined) {
        found = {
          path: '',
          code: 'syntax',
          message: `is not valid YAML ${where}: the alias "*${source}" has no anchor "&${source}" before it: put "&${source}" on a value before the first alias that uses it`,
          ...at,
        };
        return yaml.visit.BREAK;
      }
      const own = ancestors.indexOf(anchor as (typeof ancestors)[number]);
      if (own !== -1) {
        const nodes = [...ancestors, node];
        const cycle = cycleIssue(
          definitionPath(yaml, nodes),
          definitionPath(yaml, nodes.slice(0, own + 1)),
        );
        found = { ...cycle, message: `${cycle.message} (the alias "*${source}" ${where})`, ...at };
        return yaml.visit.BREAK;
      }
      const count = (uses.get(anchor) ?? 0) + 1;
      uses.set(anchor, count);
      if (count > MAX_ALIAS_EXPANSIONS && overused === undefined) {
        overused = {
          path: '',
          code: 'syntax',
          message: `is not valid YAML ${where}: the anchor "&${source}" is already used by ${MAX_ALIAS_EXPANSIONS} aliases before this one, and one anchor's value may be expanded at most ${MAX_ALIAS_EXPANSIONS} times: write the value out in full in some of those places`,
          ...at,
        };
      }
      return undefined;
    },
  });
  if (found !== undefined) return found;
  if (overused !== undefined) return overused;
  const detail = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  const reason = /Excessive alias count/.test(detail)
    ? `its aliases expand one anchor's value more than ${MAX_ALIAS_EXPANSIONS} times (an alias of a value that holds aliases counts as each of them): write some of the values out in full instead of using "*name"`
    : detail;
  return { path: '', code: 'syntax', message: `is not valid YAML: ${reason}` };
}

const DEFINITION = 'one object with id, name, version, authMethods and endpoints';

// A text that holds no definition at all: one issue saying what the text is, for both formats.
function textIssue(message: string, source: string | undefined) {
  return connectorInvalid([{ path: '', code: 'syntax', message }], undefined, source);
}

/**
 * Parses the text of a definition file: JSON for `.json`, YAML (1.2 core schema, duplicate keys
 * rejected) for `.yaml`/`.yml`. A syntax error is one `CONNECTOR_INVALID` issue
 * `{ path: '', code: 'syntax', message, line?, column? }` (the first the parser found), in both
 * formats with its line and column (from 1) in the message (`is not valid JSON at line 3,
 * column 13: Expected double-quoted property name`) and as `line`/`column` where the parser
 * placed it; the text itself is never quoted. An empty text (or only whitespace, or in YAML only
 * comments) and UTF-16 text decoded as UTF-8 are a `syntax` issue saying so; lines may end in
 * LF, CR LF or CR alone.
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
  const utf16 = utf16TextProblem(text, 'a definition');
  if (utf16 !== undefined) throw textIssue(utf16, options.source);
  // trim() also drops a byte order mark.
  if (text.trim() === '') {
    throw textIssue(`is empty: write the definition into it (${DEFINITION})`, options.source);
  }
  // Line breaks written as CR alone (classic Mac OS) or CR LF are line feeds: YAML 1.2 §5.4 makes
  // every one of them a line break and JSON whitespace, but the yaml package reads a lone CR as
  // part of the line (a whole definition became one line), and line numbers count line feeds.
  const lines = text.replace(/\r\n?/g, '\n');
  let input: unknown;
  if (format === 'json') {
    // A byte order mark (editors on Windows write one) is not part of the JSON, as in YAML.
    const json = lines.charCodeAt(0) === 0xfeff ? lines.slice(1) : lines;
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
    const { LineCounter, parseDocument } = loadYaml();
    const lineCounter = new LineCounter();
    const document = parseDocument(lines, { prettyErrors: true, uniqueKeys: true, lineCounter });
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
    if (document.contents === null) {
      throw textIssue(
        `holds only comments: write the definition below them (${DEFINITION})`,
        options.source,
      );
    }
    try {
      input = document.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
    } catch (error) {
      if (error instanceof RangeError && STACK_EXHAUSTED.test(error.message)) {
        throw tooDeep(options.source);
      }
      // yaml resolves aliases only here and throws its own ReferenceError for "*x" without an
      // "&x" anchor or past maxAliasCount (a "billion laughs" guard): a definition error.
      throw connectorInvalid([aliasIssue(document, lineCounter, error)], undefined, options.source);
    }
  }
  return parseConnector(input, options);
}
