import type { Attributes } from '@opentelemetry/api';

/**
 * The ids an endpoint call is reported with; built once per instance and endpoint.
 *
 * @example
 * ```ts
 * telemetry.succeed(span, target.telemetry, 200, 1, elapsedMs);
 * ```
 */
export interface TelemetryTarget {
  /** Span attributes: connector, method, instance and endpoint ids, HTTP method. */
  readonly spanAttributes: Attributes;
  /** Metric attributes (no instance id: it would make every series per-instance). */
  readonly metricAttributes: Attributes;
  /** Metric attributes of successful calls by status, filled lazily. */
  readonly okAttributes: Map<number, Attributes>;
}

/**
 * Builds the {@link TelemetryTarget} of an instance's endpoint.
 *
 * @example
 * ```ts
 * telemetryTarget({ connectorId: 'acme', authMethodId: 'acme-oauth', instanceId: 'i1',
 *   endpointId: 'list-orders', method: 'GET' });
 * ```
 */
export function telemetryTarget(ids: {
  readonly connectorId: string;
  readonly authMethodId: string;
  readonly instanceId: string;
  readonly endpointId: string;
  readonly method: string;
}): TelemetryTarget {
  const metricAttributes: Attributes = {
    'splice.connector.id': ids.connectorId,
    'splice.auth_method.id': ids.authMethodId,
    'splice.endpoint.id': ids.endpointId,
    'http.request.method': ids.method,
  };
  return {
    spanAttributes: { ...metricAttributes, 'splice.instance.id': ids.instanceId },
    metricAttributes,
    okAttributes: new Map(),
  };
}
