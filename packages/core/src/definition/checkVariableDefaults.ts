import type { DefinitionIssue } from '../strategy/AuthStrategy.js';
import type { ResolvedAuthMethod } from './types.js';

/**
 * Checks each non-empty `default` of a method's variables with a strategy's value rule (the same
 * rule its instance values get), so a bad default fails when the definition loads, not at the
 * first authorization. Returns one issue per refused default, at `variables[i].default`.
 *
 * @param method - the method as resolved (strategy defaults merged in).
 * @param checkValue - the strategy's rule: a problem ("must be https") or `undefined` when fine.
 * @example
 * ```ts
 * issues.push(...checkVariableDefaults(method, (key, value) =>
 *   key === 'scope_separator' && value.length !== 1 ? 'must be one character' : undefined));
 * ```
 */
export function checkVariableDefaults(
  method: Pick<ResolvedAuthMethod, 'variables'>,
  checkValue: (key: string, value: string) => string | undefined,
): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  method.variables.forEach((variable, index) => {
    if (variable.default === undefined || variable.default === '') return;
    const problem = checkValue(variable.key, variable.default);
    if (problem !== undefined)
      issues.push({ path: `variables[${index}].default`, message: `"${variable.key}" ${problem}` });
  });
  return issues;
}
