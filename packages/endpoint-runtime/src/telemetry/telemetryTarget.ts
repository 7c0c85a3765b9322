import type { Attributes } from '@opentelemetry/api';

/**
 * The ids an endpoint call is reported with. The metric attributes are the same for every
 * instance of a connector's auth method and endpoint and are shared by them; an instance adds only
 * its id.
 *
 * @example
 * ```ts
 * telemetry.succeed(span, target.telemetry, 200, 1, elapsedMs);
 * ```
 */
export interface TelemetryTarget {
  /**
   * Span attributes: connector, method, instance and endpoint ids, HTTP method. Built on each
   * read (only a recording span reads them), so an instance keeps no copy.
   */
  readonly spanAttributes: Attributes;
  /** Metric attributes (no instance id: it would make every series per-instance). */
  readonly metricAttributes: Attributes;
  /** Metric attributes of successful calls by status, filled lazily. */
  readonly okAttributes: Map<number, Attributes>;
}

/** What every instance of one auth method and endpoint reports alike. */
interface SharedTarget {
  readonly metricAttributes: Attributes;
  readonly okAttributes: Map<number, Attributes>;
}

class InstanceTarget implements TelemetryTarget {
  readonly #shared: SharedTarget;
  readonly #instanceId: string;

  constructor(shared: SharedTarget, instanceId: string) {
    this.#shared = shared;
    this.#instanceId = instanceId;
  }

  get spanAttributes(): Attributes {
    return { ...this.#shared.metricAttributes, 'splice.instance.id': this.#instanceId };
  }

  get metricAttributes(): Attributes {
    return this.#shared.metricAttributes;
  }

  get okAttributes(): Map<number, Attributes> {
    return this.#shared.okAttributes;
  }
}

// Keyed by the compiled endpoint (owned by the runtime's catalog, so the entry lives as long as
// the catalog does), then by auth method id.
const sharedTargets = new WeakMap<object, Map<string, SharedTarget>>();

/**
 * Builds the {@link TelemetryTarget} of an instance's endpoint; `endpoint` is the compiled
 * endpoint the shared attribute objects are kept with.
 *
 * @example
 * ```ts
 * telemetryTarget(compiled, { connectorId: 'acme', authMethodId: 'acme-oauth', instanceId: 'i1',
 *   endpointId: 'list-orders', method: 'GET' });
 * ```
 */
export function telemetryTarget(
  endpoint: object,
  ids: {
    readonly connectorId: string;
    readonly authMethodId: string;
    readonly instanceId: string;
    readonly endpointId: string;
    readonly method: string;
  },
): TelemetryTarget {
  let byMethod = sharedTargets.get(endpoint);
  if (byMethod === undefined) {
    byMethod = new Map();
    sharedTargets.set(endpoint, byMethod);
  }
  let shared = byMethod.get(ids.authMethodId);
  if (shared === undefined) {
    shared = {
      metricAttributes: {
        'splice.connector.id': ids.connectorId,
        'splice.auth_method.id': ids.authMethodId,
        'splice.endpoint.id': ids.endpointId,
        'http.request.method': ids.method,
      },
      okAttributes: new Map(),
    };
    byMethod.set(ids.authMethodId, shared);
  }
  return new InstanceTarget(shared, ids.instanceId);
}
