import { type InstanceRecord, SpliceError } from '@splice/core';
import type { CompiledConnector, CompiledEndpoint } from '../connector/CompiledConnector.js';

/**
 * `ENDPOINT_NOT_FOUND`: the connector has no endpoint with that id.
 *
 * @example
 * ```ts
 * throw endpointNotFound(connector, 'list-orderz');
 * ```
 */
export function endpointNotFound(connector: CompiledConnector, endpointId: string): SpliceError {
  const known = [...connector.endpoints.keys()];
  return new SpliceError(
    'ENDPOINT_NOT_FOUND',
    `Connector "${connector.definition.id}" has no endpoint "${endpointId}" (endpoints: ${known.join(', ') || 'none'}). Check the endpoint id.`,
    { details: { connectorId: connector.definition.id, endpointId } },
  );
}

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
