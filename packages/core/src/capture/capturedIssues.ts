import type { ResolvedAuthMethod } from '../definition/types.js';
import type { AuthStrategy, DefinitionIssue } from '../strategy/AuthStrategy.js';

/**
 * The issue of a method that declares `captured` values for a strategy that never captures any
 * (`capturesValues` unset): they would never arrive, and every template using them would fail.
 * Paths relative to the method; `parseConnector` (with strategies) and the runtime's catalog both
 * ask it.
 *
 * @example
 * ```ts
 * capturedIssues(strategy, method); // [{ path: 'captured', code: 'unsupported', message: '…' }]
 * ```
 */
export function capturedIssues(
  strategy: AuthStrategy,
  method: ResolvedAuthMethod,
): DefinitionIssue[] {
  if ((method.captured ?? []).length === 0 || strategy.capturesValues === true) return [];
  return [
    {
      path: 'captured',
      code: 'unsupported',
      message: `declares captured values, but strategy "${strategy.type}" captures none (callback and token-response values are read by strategies such as oauth2-authorization-code); use postAuthorization steps instead`,
    },
  ];
}
