import { SpliceError } from '@splice/core';
import type { CompiledConnector } from './CompiledConnector.js';

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
