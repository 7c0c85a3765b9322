import { type InstanceRecord, SpliceError } from '@splice/core';
import type { CompiledConnector, CompiledEndpoint } from './CompiledConnector.js';

/**
 * `ENDPOINT_NOT_ENABLED`: the endpoint exists but the instance's auth method is not enabled on it.
 *
 * @example
 * ```ts
 * throw endpointNotEnabled(connector, endpoint, record);
 * ```
 */
export function endpointNotEnabled(
  connector: CompiledConnector,
  endpoint: CompiledEndpoint,
  record: InstanceRecord,
): SpliceError {
  const enabled = endpoint.definition.authMethods;
  return new SpliceError(
    'ENDPOINT_NOT_ENABLED',
    `Endpoint "${endpoint.definition.id}" of connector "${connector.definition.id}" is not enabled for auth method "${record.authMethodId}" of instance "${record.id}" (enabled for: ${enabled.join(', ') || 'no method'}). Use an instance added with an enabled method, or enable "${record.authMethodId}" on the endpoint.`,
    {
      details: {
        connectorId: connector.definition.id,
        endpointId: endpoint.definition.id,
        instanceId: record.id,
        authMethodId: record.authMethodId,
        enabledAuthMethods: [...enabled],
      },
    },
  );
}
