import type { z } from 'zod';
import { capturedIssues } from '../capture/capturedIssues.js';
import { invalidArgument } from '../errors/invalidArgument.js';
import type { AuthStrategy, DefinitionIssue } from '../strategy/AuthStrategy.js';
import { checkConnector, joinPath } from './checkConnector.js';
import { checkTemplateKeys } from './checkTemplateKeys.js';
import { connectorInvalid } from './connectorInvalid.js';
import {
  applySchema,
  authMethodSchema,
  connectorSchema,
  endpointSchema,
  requestSchema,
  variableSchema,
} from './connectorSchema.js';
import { nearestName } from './nearestName.js';
import { resolveAuthMethod } from './resolveAuthMethod.js';
import { treeIssue } from './treeIssue.js';
import type { AuthMethodDefinition, ConnectorDefinition, VariableDefinition } from './types.js';

/**
 * Options of {@link parseConnector} and `parseConnectorText`.
 *
 * @example
 * ```ts
 * parseConnector(input, { strategies: [oauth2AuthorizationCode()], source: 'acme.yaml' });
 * ```
 */
export interface ParseConnectorOptions {
  /**
   * The registered strategies. When given, every method's `type` must name one of them and the
   * strategy's `validateMethod` checks run on the method with the strategy's default variables
   * merged in. The method is returned as written either way: the runtime's catalog merges.
   */
  readonly strategies?: readonly AuthStrategy[];
  /** Where the definition came from (a file path), for the error message. */
  readonly source?: string;
}

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

const ARTICLE: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

// Zod's default messages are generic ("Invalid input"); a definition author needs "is required"
// or "must be a string, got number".
const REQUIRED = 'is required';
const errorMap: z.core.$ZodErrorMap = (issue) => {
  if (
    (issue.code === 'invalid_type' || issue.code === 'invalid_union') &&
    issue.input === undefined
  ) {
    return REQUIRED;
  }
  if (issue.code === 'invalid_type') {
    return `must be ${ARTICLE[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
  }
  return undefined;
};

// Zod compiles a fast path for each object schema (`new Function`) on its first parse: that costs
// more than it saves on a definition parsed once at start-up (~3 ms of a cold start). Same issues.
const PARSE_JITLESS = { jitless: true } as const;

function pathOf(segments: readonly PropertyKey[]): string {
  let path = '';
  for (const segment of segments) {
    path = joinPath(path, typeof segment === 'number' ? segment : String(segment));
  }
  return path;
}

function codeOf(issue: z.core.$ZodIssue): string {
  if (issue.message === REQUIRED) return 'required';
  switch (issue.code) {
    case 'invalid_type':
      return issue.message === REQUIRED ? 'required' : 'invalid_type';
    case 'too_big':
      return 'too_big';
    case 'too_small':
      return 'too_small';
    case 'invalid_format':
      return 'invalid_format';
    default:
      return 'invalid_value';
  }
}

// The field names of each kind of object, read from the schema itself.
function fieldsOf(schema: z.ZodType): readonly string[] {
  let inner: unknown = schema;
  while (isRecord(inner) && !('shape' in inner) && isRecord(inner['def'])) {
    inner = inner['def']['innerType'];
  }
  return isRecord(inner) && isRecord(inner['shape']) ? Object.keys(inner['shape']) : [];
}
const FIELDS = {
  connector: fieldsOf(connectorSchema).filter((f) => f !== '$schema'),
  method: fieldsOf(authMethodSchema),
  endpoint: fieldsOf(endpointSchema),
  variable: fieldsOf(variableSchema),
  request: fieldsOf(requestSchema),
  apply: fieldsOf(applySchema),
  rateLimit: ['amount', 'unit'],
};

function fieldsAt(path: string): readonly string[] {
  if (path === '') return FIELDS.connector;
  if (/variables\[\d+\]$/.test(path)) return FIELDS.variable;
  if (/^(authMethods|endpoints)\[\d+\]$/.test(path)) {
    return path.startsWith('authMethods') ? FIELDS.method : FIELDS.endpoint;
  }
  if (path.endsWith('.request')) return FIELDS.request;
  if (path.endsWith('.apply')) return FIELDS.apply;
  if (path === 'rateLimit') return FIELDS.rateLimit;
  return [];
}

// "is not a known field" with the name most likely meant: a field of that object, or, on an auth
// method, a variable of its strategy written as a field (`clientSecret:` for `client_secret`).
function unknownField(
  input: Raw,
  path: string,
  key: string,
  strategies: ReadonlyMap<string, AuthStrategy> | undefined,
): string {
  const field = nearestName(key, fieldsAt(path));
  if (field !== undefined) return `is not a known field: did you mean "${field}"?`;
  const method = /^authMethods\[(\d+)\]$/.exec(path);
  if (method !== null) {
    const raw = (Array.isArray(input['authMethods']) ? input['authMethods'] : [])[
      Number(method[1])
    ];
    const type = isRecord(raw) ? raw['type'] : undefined;
    const strategy = typeof type === 'string' ? strategies?.get(type) : undefined;
    const variable = nearestName(key, strategy?.variables.map((v) => v.key) ?? []);
    if (variable !== undefined) {
      return `is not a field of an auth method; "${variable}" is a variable of the "${type}" strategy: give its value when adding an instance, or a default under variables (- { key: ${variable}, default: … })`;
    }
  }
  const known = fieldsAt(path);
  return known.length === 0
    ? 'is not a known field: remove it or check its spelling'
    : `is not a known field: remove it or use one of ${known.join(', ')}`;
}

function schemaIssues(
  error: z.ZodError,
  input: Raw,
  strategies: ReadonlyMap<string, AuthStrategy> | undefined,
): DefinitionIssue[] {
  const out: DefinitionIssue[] = [];
  for (const issue of error.issues) {
    const path = pathOf(issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          path: joinPath(path, key),
          message: unknownField(input, path, key, strategies),
          code: 'unknown_field',
        });
      }
    } else if (issue.code === 'invalid_key') {
      const message = issue.issues[0]?.message ?? 'is not a valid key';
      out.push({ path, message, code: 'invalid_key' });
    } else out.push({ path, message: issue.message, code: codeOf(issue) });
  }
  return out;
}

function checkOptions(options: ParseConnectorOptions): Map<string, AuthStrategy> | undefined {
  if (!isRecord(options)) throw invalidArgument('"options" must be an object', 'INVALID_OPTION');
  if (options.strategies === undefined) return undefined;
  if (!Array.isArray(options.strategies)) {
    throw invalidArgument(
      '"options.strategies" must be an array of AuthStrategy',
      'INVALID_OPTION',
    );
  }
  const byType = new Map<string, AuthStrategy>();
  for (const [index, strategy] of (options.strategies as readonly unknown[]).entries()) {
    if (
      !isRecord(strategy) ||
      typeof strategy['type'] !== 'string' ||
      !Array.isArray(strategy['variables'])
    ) {
      throw invalidArgument(
        `"options.strategies[${index}]" must be an AuthStrategy with a string "type" and a "variables" array`,
        'INVALID_OPTION',
      );
    }
    if (byType.has(strategy['type'])) {
      throw invalidArgument(
        `"options.strategies" has two strategies of type "${strategy['type']}"`,
        'INVALID_OPTION',
      );
    }
    byType.set(strategy['type'], strategy as unknown as AuthStrategy);
  }
  return byType;
}

// A strategy reports `variables[i]` by the merged list (its defaults first); the author needs the
// index in the definition as written. A variable the definition does not write keeps the merged
// index: it is the strategy's own default, so only the strategy can be wrong about it.
function definitionPath(
  path: string,
  merged: readonly VariableDefinition[],
  written: unknown,
): string {
  const match = /^variables\[(\d+)\](.*)$/.exec(path);
  if (match === null) return path;
  const key = merged[Number(match[1])]?.key;
  const list = Array.isArray(written) ? written : [];
  const index = list.findIndex((v: unknown) => isRecord(v) && v['key'] === key);
  return index === -1 ? path : `variables[${index}]${match[2]}`;
}

function checkStrategies(
  input: Raw,
  strategies: ReadonlyMap<string, AuthStrategy>,
  connectorKeys: ReadonlyMap<string, string>,
  issues: DefinitionIssue[],
): void {
  const registered = [...strategies.keys()].map((t) => `"${t}"`).join(', ') || 'none';
  const methods = Array.isArray(input['authMethods']) ? input['authMethods'] : [];
  methods.forEach((raw: unknown, index) => {
    if (!isRecord(raw) || typeof raw['type'] !== 'string') return;
    const path = joinPath('authMethods', index);
    const strategy = strategies.get(raw['type']);
    if (strategy === undefined) {
      issues.push({
        path: joinPath(path, 'type'),
        message: `"${raw['type']}" is not a registered authentication type (registered: ${registered})`,
        code: 'unknown_type',
      });
      return;
    }
    for (const variable of strategy.variables) {
      const clash = connectorKeys.get(variable.key);
      if (clash !== undefined) {
        issues.push({
          path: clash,
          message: `"${variable.key}" is also a variable of the "${strategy.type}" strategy used by ${path}: rename the connector variable`,
          code: 'duplicate',
        });
      }
    }
    // Unknown fields were reported by the whole-definition parse; leaving them out here lets the
    // strategy check the rest of the method at the same time (every problem at once).
    const known = Object.fromEntries(
      Object.entries(raw).filter(([field]) => FIELDS.method.includes(field)),
    );
    const parsed = authMethodSchema.safeParse(known, PARSE_JITLESS);
    if (!parsed.success) return; // already reported by the whole-definition parse
    const method = resolveAuthMethod(parsed.data as AuthMethodDefinition, strategy);
    let found: readonly DefinitionIssue[] = [];
    try {
      found = [...capturedIssues(strategy, method), ...(strategy.validateMethod?.(method) ?? [])];
    } catch (error) {
      found = [
        { path: '', message: `the "${strategy.type}" strategy's check failed: ${String(error)}` },
      ];
    }
    // A template core found broken is reported once: the strategy compiling it again adds nothing.
    const brokenTemplates = new Set(
      issues
        .filter((i) => i.code === 'invalid_template' || i.code === 'insecure_url')
        .map((i) => i.path),
    );
    for (const issue of found) {
      const local = definitionPath(issue.path, method.variables, raw['variables']);
      const full = local === '' ? path : `${path}${local.startsWith('[') ? '' : '.'}${local}`;
      if (brokenTemplates.has(full)) continue;
      issues.push({ path: full, message: issue.message, code: issue.code ?? 'strategy' });
    }
  });
}

/**
 * Validates a connector definition (already parsed from JSON or YAML) and returns it as written,
 * with the schema's defaults filled in (SPEC §2): plain data, so a JSON round trip of the result
 * changes nothing. An auth method's variables keep only the fields the definition wrote; the
 * strategy's default variables are merged in by the runtime's catalog (`listConnectors()` shows
 * the merged view). Every problem is reported at once in one
 * `SpliceError('CONNECTOR_INVALID')` whose `details.issues` lists `{ path, message, code }`.
 * A top-level `$schema` field is accepted and dropped. An input that contains itself (code
 * `cycle`) or nests deeper than `MAX_DEFINITION_DEPTH` (64, code `too_deep`) is refused with
 * that one issue before anything else is checked.
 *
 * @example
 * ```ts
 * const acme = parseConnector(JSON.parse(text), { strategies: [oauth2AuthorizationCode()] });
 * acme.endpoints[0].dataType; // 'json'
 * ```
 */
export function parseConnector(
  input: unknown,
  options: ParseConnectorOptions = {},
): ConnectorDefinition {
  const strategies = checkOptions(options);
  if (!isRecord(input)) {
    throw connectorInvalid(
      [{ path: '', message: `must be an object, got ${describe(input)}`, code: 'invalid_type' }],
      undefined,
      options.source,
    );
  }
  const notATree = treeIssue(input);
  if (notATree !== undefined) {
    const id = typeof input['id'] === 'string' ? input['id'] : undefined;
    throw connectorInvalid([notATree], id, options.source);
  }
  const result = connectorSchema.safeParse(input, { ...PARSE_JITLESS, error: errorMap });
  const issues = result.success ? [] : schemaIssues(result.error, input, strategies);
  const connectorKeys = checkConnector(issues, input);
  if (strategies !== undefined) {
    checkStrategies(input, strategies, connectorKeys, issues);
    checkTemplateKeys(issues, input, strategies);
  }
  const id = typeof input['id'] === 'string' ? input['id'] : undefined;
  if (!result.success || issues.length > 0) throw connectorInvalid(issues, id, options.source);

  const { $schema: _ignored, ...definition } = result.data;
  return definition as ConnectorDefinition;
}
