import { relative } from 'node:path';
import {
  type AuthMethodDefinition,
  type AuthStrategy,
  type ConnectorDefinition,
  type DefinitionIssue,
  requestPartDestinations,
  requiredVariableKeys,
  resolveAuthMethod,
  resolveValues,
  SpliceError,
} from '@splice/core';
import { loadConnector } from '@splice/endpoint-runtime';
import { builtInStrategies } from '../builtInStrategies.js';
import { EXIT_FAILED, EXIT_OK } from './exitCodes.js';
import type { Output } from './Output.js';

/** What {@link validateConnectorFile} found. */
export interface ValidationReport {
  /** The definition when it is valid (strategy defaults merged for built-in types). */
  readonly connector?: ConnectorDefinition;
  /** Problems that make the definition unusable. */
  readonly errors: readonly DefinitionIssue[];
  /** Methods whose type has no built-in strategy: schema-checked only. */
  readonly warnings: readonly DefinitionIssue[];
}

/**
 * Validates a connector file with the built-in strategies' checks. Every problem comes back at
 * once with its path. A method type the CLI does not know (an engine's own strategy) is a warning,
 * not an error: its schema is still checked, its strategy's extra checks cannot run here.
 * File-system errors (`ENOENT`) and wrong extensions are thrown as they are.
 *
 * @example
 * ```ts
 * const { errors } = await validateConnectorFile('connectors/acme.yaml');
 * ```
 */
export async function validateConnectorFile(path: string): Promise<ValidationReport> {
  try {
    return {
      connector: await loadConnector(path, { strategies: builtInStrategies() }),
      errors: [],
      warnings: [],
    };
  } catch (error) {
    if (!SpliceError.is(error, 'CONNECTOR_INVALID')) throw error;
    const issues = (error.details['issues'] as readonly DefinitionIssue[] | undefined) ?? [
      { path: '', message: error.message },
    ];
    const unknownType = (issue: DefinitionIssue): boolean => issue.code === 'unknown_type';
    const errors = issues.filter((issue) => !unknownType(issue));
    const warnings = issues.filter(unknownType).map((issue) => ({
      ...issue,
      message: `${issue.message.replace(/ \(registered: [^)]*\)$/, '')} of the splice command: only its schema was checked; the engine must register a strategy for it`,
    }));
    if (errors.length > 0) return { errors, warnings };
    // Only unknown types: the definition itself is sound, read it without strategy checks.
    return { connector: await loadConnector(path), errors, warnings };
  }
}

/** One file's result in `splice validate --json`. */
export interface FileResult {
  readonly file: string;
  readonly valid: boolean;
  readonly errors: readonly DefinitionIssue[];
  readonly warnings: readonly DefinitionIssue[];
  readonly connector?: {
    readonly id: string;
    readonly name: string;
    readonly version: string;
    readonly variables: readonly string[];
    /**
     * Each method: the number of endpoints enabled for it, the variables an instance needs with
     * the definition's defaults, and where each of its request parts is sent.
     */
    readonly authMethods: readonly {
      readonly id: string;
      readonly type: string;
      readonly endpoints: number;
      readonly required: readonly string[];
      /** False when the type has no built-in strategy: `required` then follows the flags. */
      readonly builtIn: boolean;
      readonly requestParts: readonly { readonly path: string; readonly sentOn: string }[];
    }[];
    readonly endpoints: number;
  };
}

function readError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a connector file';
  return error instanceof Error ? error.message : String(error);
}

async function checkFile(path: string, shown: string): Promise<FileResult> {
  let report: ValidationReport;
  try {
    report = await validateConnectorFile(path);
  } catch (error) {
    return {
      file: shown,
      valid: false,
      errors: [{ path: '', message: readError(error), code: 'file' }],
      warnings: [],
    };
  }
  const { connector, errors, warnings } = report;
  if (connector === undefined || errors.length > 0) {
    return { file: shown, valid: false, errors, warnings };
  }
  const strategies = builtInStrategies();
  return {
    file: shown,
    valid: true,
    errors,
    warnings,
    connector: {
      id: connector.id,
      name: connector.name,
      version: connector.version,
      variables: connector.variables.map((v) => v.key),
      authMethods: connector.authMethods.map((m) => ({
        id: m.id,
        type: m.type,
        endpoints: connector.endpoints.filter((e) => e.authMethods.includes(m.id)).length,
        ...methodFacts(connector, m, strategies),
      })),
      endpoints: connector.endpoints.length,
    },
  };
}

// `file:line:col` for a syntax error (editors and terminals make it a link), the file for a file
// that could not be read, else the path in the definition.
function where(result: FileResult, issue: DefinitionIssue): string {
  if (issue.line !== undefined) return `${result.file}:${issue.line}:${issue.column ?? 1}`;
  if (issue.code === 'file') return result.file;
  return issue.path || '(root)';
}

function printResult(result: FileResult, output: Output): void {
  for (const warning of result.warnings) {
    output.stderr.write(`! ${result.file}: ${warning.path || '(root)'}: ${warning.message}\n`);
  }
  if (!result.valid) {
    const [only] = result.errors;
    if (
      result.errors.length === 1 &&
      only !== undefined &&
      (only.code === 'file' || only.line !== undefined)
    ) {
      output.stderr.write(`✖ ${where(result, only)}: ${only.message}\n`);
      return;
    }
    const count = result.errors.length === 1 ? '1 problem' : `${result.errors.length} problems`;
    output.stderr.write(`✖ ${result.file} is invalid, ${count}:\n`);
    for (const issue of result.errors)
      output.stderr.write(`  ${where(result, issue)}: ${issue.message}\n`);
    return;
  }
  const c = result.connector!;
  const perMethod = c.authMethods.map((method) => `${method.id} ${method.endpoints}`);
  const lines = [
    `✔ ${result.file} is valid: ${c.name} (${c.id}) v${c.version}`,
    `  variables:    ${c.variables.join(', ') || '(none)'}`,
    `  auth methods: ${c.authMethods.map((m) => `${m.id} (${m.type})`).join(', ')}`,
    `  endpoints:    ${c.endpoints} (enabled per method: ${perMethod.join(', ')})`,
  ];
  for (const method of c.authMethods) {
    lines.push(
      `  ${method.id}:`,
      `    required:   ${method.required.join(', ') || '(none)'}${method.builtIn ? '' : ' (from the flags: the strategy is not built in)'}`,
      ...method.requestParts.map(({ path, sentOn }) => `    ${path} → ${sentOn}`),
    );
  }
  output.stdout.write(`${lines.join('\n')}\n`);
}

/**
 * `splice validate <file...>`: checks each file and prints every problem with its path (a YAML or
 * JSON syntax error once, as `file:line:column`), or a short summary of a valid file. With
 * `json`, prints one JSON document `{ valid, files: FileResult[] }` on stdout instead. Returns
 * exit code 0 when every file is valid, 1 when one is not (or cannot be read).
 *
 * @example
 * ```ts
 * process.exitCode = await validateCommand(['acme.yaml', 'shop.json'], processOutput(), { json: false });
 * ```
 */
export async function validateCommand(
  paths: readonly string[] | string,
  output: Output,
  options: { readonly json?: boolean } = {},
): Promise<number> {
  const results: FileResult[] = [];
  for (const path of typeof paths === 'string' ? [paths] : paths) {
    const near = relative(process.cwd(), path);
    const shown = near === '' || near.startsWith('..') ? path : near;
    const result = await checkFile(path, shown);
    results.push(result);
    if (options.json !== true) printResult(result, output);
  }
  const valid = results.every((r) => r.valid);
  if (options.json === true) {
    output.stdout.write(`${JSON.stringify({ valid, files: results }, null, 2)}\n`);
  }
  return valid ? EXIT_OK : EXIT_FAILED;
}

/**
 * Per auth method: the variables an instance needs with the definition's defaults (the strategy's
 * rule, as the runtime asks it) and where each request part is sent.
 */
function methodFacts(
  connector: ConnectorDefinition,
  method: AuthMethodDefinition,
  strategies: readonly AuthStrategy[],
): {
  required: string[];
  builtIn: boolean;
  requestParts: { path: string; sentOn: string }[];
} {
  const strategy = strategies.find((s) => s.type === method.type);
  const resolved = resolveAuthMethod(method, strategy ?? { variables: [] });
  const defaults = resolveValues([...connector.variables, ...resolved.variables], {});
  return {
    required: [...requiredVariableKeys(connector.variables, resolved, strategy, defaults)],
    builtIn: strategy !== undefined,
    requestParts: requestPartDestinations(method, strategy?.interactive).map(
      ({ path, sentOn }) => ({
        path,
        sentOn,
      }),
    ),
  };
}
