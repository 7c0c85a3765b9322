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

/**
 * `splice validate <file>`: prints every problem with its path and returns exit code 1 when there
 * is one, else a short summary and 0.
 *
 * @example
 * ```ts
 * process.exitCode = await validateCommand('acme.yaml', processOutput());
 * ```
 */
export async function validateCommand(path: string, output: Output): Promise<number> {
  const near = relative(process.cwd(), path);
  const shown = near === '' || near.startsWith('..') ? path : near;
  let report: ValidationReport;
  try {
    report = await validateConnectorFile(path);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory, not a connector file'
          : error instanceof Error
            ? error.message
            : String(error);
    output.stderr.write(`✖ ${shown}: ${reason}\n`);
    return 1;
  }
  const { connector, errors, warnings } = report;
  for (const warning of warnings) {
    output.stderr.write(`! ${warning.path || '(root)'}: ${warning.message}\n`);
  }
  if (errors.length > 0 || connector === undefined) {
    const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    output.stderr.write(`✖ ${shown} is invalid, ${count}:\n`);
    for (const issue of errors)
      output.stderr.write(`  ${issue.path || '(root)'}: ${issue.message}\n`);
    return 1;
  }
  const perMethod = connector.authMethods.map(
    (method) =>
      `${method.id} ${connector.endpoints.filter((e) => e.authMethods.includes(method.id)).length}`,
  );
  const lines = [
    `✔ ${shown} is valid: ${connector.name} (${connector.id}) v${connector.version}`,
    `  variables:    ${connector.variables.map((v) => v.key).join(', ') || '(none)'}`,
    `  auth methods: ${connector.authMethods.map((m) => `${m.id} (${m.type})`).join(', ')}`,
    `  endpoints:    ${connector.endpoints.length} (enabled per method: ${perMethod.join(', ')})`,
  ];
  const strategies = builtInStrategies();
  for (const method of connector.authMethods) {
    lines.push(...methodLines(connector, method, strategies));
  }
  output.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * Per auth method: the variables an instance needs with the definition's defaults (the strategy's
 * rule, as the runtime asks it) and where each request part is sent.
 */
function methodLines(
  connector: ConnectorDefinition,
  method: AuthMethodDefinition,
  strategies: readonly AuthStrategy[],
): string[] {
  const strategy = strategies.find((s) => s.type === method.type);
  const resolved = resolveAuthMethod(method, strategy ?? { variables: [] });
  const defaults = resolveValues([...connector.variables, ...resolved.variables], {});
  const required = requiredVariableKeys(connector.variables, resolved, strategy, defaults);
  const lines = [
    `  ${method.id}:`,
    `    required:   ${required.join(', ') || '(none)'}${strategy === undefined ? ' (from the flags: the strategy is not built in)' : ''}`,
  ];
  for (const { path, sentOn } of requestPartDestinations(method, strategy?.interactive)) {
    lines.push(`    ${path} → ${sentOn}`);
  }
  return lines;
}
