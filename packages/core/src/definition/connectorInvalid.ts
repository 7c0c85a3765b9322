import { SpliceError } from '../errors/SpliceError.js';
import type { DefinitionIssue } from '../strategy/AuthStrategy.js';

/**
 * Builds the one `CONNECTOR_INVALID` error for a list of issues: the message lists every problem
 * as `path: message`, `details.issues` holds them as data.
 *
 * @example
 * ```ts
 * throw connectorInvalid([{ path: 'endpoints', message: 'needs at least one endpoint' }], 'acme');
 * ```
 */
export function connectorInvalid(
  issues: readonly DefinitionIssue[],
  connectorId?: string,
  source?: string,
): SpliceError {
  const what = [
    'Connector definition',
    connectorId === undefined ? '' : ` "${connectorId}"`,
    source === undefined ? '' : ` (${source})`,
  ].join('');
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.map((i) => `  - ${i.path === '' ? '(root)' : i.path}: ${i.message}`);
  return new SpliceError(
    'CONNECTOR_INVALID',
    `${what} is invalid, ${count}:\n${lines.join('\n')}`,
    {
      details: {
        issues,
        ...(connectorId === undefined ? {} : { connectorId }),
        ...(source === undefined ? {} : { source }),
      },
    },
  );
}
