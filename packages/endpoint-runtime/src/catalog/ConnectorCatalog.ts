import {
  type AuthStrategy,
  type ConnectorDefinition,
  type InstanceRecord,
  invalidArgument,
  type ResolvedConnector,
  SpliceError,
} from '@splice/core';
import type { CompiledConnector, CompiledEndpoint, CompiledMethod } from './CompiledConnector.js';
import { compileConnector } from './compileConnector.js';
import { endpointNotEnabled } from './endpointNotEnabled.js';
import { endpointNotFound } from './endpointNotFound.js';

/**
 * The loaded connectors, each compiled once against the registered strategies (one per method
 * `type`), and the lookups every other part of the runtime goes through: connector, auth method
 * and endpoint by id, and gating (an endpoint is callable only with a method it enables). Holds
 * no session and no limiter: answering "which endpoints may this instance use" costs nothing.
 *
 * @example
 * ```ts
 * const catalog = new ConnectorCatalog([acme], [oauth2AuthorizationCode()]);
 * catalog.method(catalog.connector('acme'), 'acme-oauth').endpoints;
 * ```
 */
export class ConnectorCatalog {
  readonly #connectors = new Map<string, CompiledConnector>();
  /** The registered strategies, in registration order. */
  readonly strategies: readonly AuthStrategy[];

  /**
   * Throws `INVALID_OPTION` for two strategies of one type, `CONNECTOR_INVALID` for two
   * connectors of one id or a method its strategy rejects, `STRATEGY_MISSING` for a method type
   * no strategy handles.
   */
  constructor(connectors: readonly ConnectorDefinition[], strategies: readonly AuthStrategy[]) {
    const byType = new Map<string, AuthStrategy>();
    for (const strategy of strategies) {
      if (byType.has(strategy.type)) {
        throw invalidArgument(
          `Two strategies are registered for type "${strategy.type}": register each type once`,
          'INVALID_OPTION',
        );
      }
      byType.set(strategy.type, strategy);
    }
    this.strategies = strategies;
    for (const definition of connectors) {
      if (this.#connectors.has(definition.id)) {
        throw new SpliceError(
          'CONNECTOR_INVALID',
          `Two connectors have the id "${definition.id}": connector ids must be unique in a runtime.`,
          {
            details: {
              connectorId: definition.id,
              issues: [
                {
                  path: 'id',
                  message: `"${definition.id}" is the id of another loaded connector`,
                  code: 'duplicate',
                },
              ],
            },
          },
        );
      }
      this.#connectors.set(definition.id, compileConnector(definition, byType));
    }
  }

  /**
   * Every connector in the order given, each auth method with its strategy's defaults merged and
   * every secret variable's default reading `[redacted]` (a secret never leaves through a listing).
   */
  list(): ResolvedConnector[] {
    return [...this.#connectors.values()].map((c) => c.listed);
  }

  /** The connector `connectorId`; `CONNECTOR_NOT_FOUND` when none is loaded. */
  connector(connectorId: unknown): CompiledConnector {
    if (typeof connectorId !== 'string') throw invalidArgument('"connectorId" must be a string');
    const connector = this.#connectors.get(connectorId);
    if (connector === undefined) {
      throw new SpliceError(
        'CONNECTOR_NOT_FOUND',
        `No connector "${connectorId}" is loaded (loaded: ${[...this.#connectors.keys()].join(', ') || 'none'}). Pass it to createRuntime({ connectors }).`,
        { details: { connectorId } },
      );
    }
    return connector;
  }

  /** The auth method `authMethodId` of `connector`; `AUTH_METHOD_NOT_FOUND` when it has none. */
  method(connector: CompiledConnector, authMethodId: unknown): CompiledMethod {
    if (typeof authMethodId !== 'string') throw invalidArgument('"authMethodId" must be a string');
    const method = connector.methods.get(authMethodId);
    if (method === undefined) {
      throw new SpliceError(
        'AUTH_METHOD_NOT_FOUND',
        `Connector "${connector.definition.id}" has no auth method "${authMethodId}" (methods: ${[...connector.methods.keys()].join(', ')}).`,
        { details: { connectorId: connector.definition.id, authMethodId } },
      );
    }
    return method;
  }

  /** The method an instance was added with, or undefined when its connector is not loaded. */
  methodOf(record: InstanceRecord): CompiledMethod | undefined {
    return this.#connectors.get(record.connectorId)?.methods.get(record.authMethodId);
  }

  /**
   * The endpoint `endpointId` of the instance's connector, gated by the instance's method:
   * `ENDPOINT_NOT_FOUND`, or `ENDPOINT_NOT_ENABLED` when the method is not enabled on it.
   */
  endpoint(
    connector: CompiledConnector,
    record: InstanceRecord,
    endpointId: string,
  ): CompiledEndpoint {
    const endpoint = connector.endpoints.get(endpointId);
    if (endpoint === undefined) throw endpointNotFound(connector, endpointId);
    if (!endpoint.enabledFor.has(record.authMethodId)) {
      throw endpointNotEnabled(connector, endpoint, record);
    }
    return endpoint;
  }
}
