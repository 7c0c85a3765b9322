import type {
  EndpointDefinition,
  Instance,
  JsonValue,
  ResolvedConnector,
  VariableDefinition,
} from '@splice/core';

/**
 * What the dashboard sends to `beginAuthorization` and `addInstance`.
 *
 * @example
 * ```ts
 * const input: DashboardInstanceInput = { connectorId: 'acme', authMethodId: 'acme-token', name: 'Ops', variables: { account: 'northwind' } };
 * ```
 */
export interface DashboardInstanceInput {
  readonly connectorId: string;
  readonly authMethodId: string;
  readonly name: string;
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * What the dashboard sends to `beginAuthorization` to renew an instance's consent.
 *
 * @example
 * ```ts
 * await runtime.beginAuthorization({ instanceId, variables: { callback_url: dashboard.callbackUrl } });
 * ```
 */
export interface DashboardReauthorizeInput {
  readonly instanceId: string;
  readonly variables?: Readonly<Record<string, string>>;
}

/**
 * The part of an endpoint the dashboard shows: a subset of {@link EndpointDefinition}.
 *
 * @example
 * ```ts
 * const endpoints: readonly DashboardEndpoint[] = await runtime.listEndpoints(instanceId);
 * ```
 */
export type DashboardEndpoint = Pick<EndpointDefinition, 'id' | 'name' | 'method' | 'url'> &
  Partial<Pick<EndpointDefinition, 'entity' | 'direction' | 'dataType'>> & {
    readonly variables: readonly VariableDefinition[];
  };

/**
 * What `callEndpoint` returns, as far as the dashboard reads it.
 *
 * @example
 * ```ts
 * const { status, data }: DashboardCallResult = await runtime.callEndpoint(id, 'list-orders', {});
 * ```
 */
export interface DashboardCallResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly data: unknown;
}

/**
 * The slice of the Splice runtime (SPEC §5, `createRuntime()` of `@splice/endpoint-runtime`) that
 * the dashboard calls. Declared structurally so the dashboard works with any runtime that has
 * these methods, and so it needs nothing beyond the public API an engine uses.
 *
 * @example
 * ```ts
 * const runtime: DashboardRuntime = createRuntime({ connectors, strategies, store });
 * await startDashboard({ runtime, connectors });
 * ```
 */
export interface DashboardRuntime {
  /**
   * The variable keys an instance of the method needs, given the values so far: the strategy's
   * rule (no `client_secret` for a public OAuth 2 client), which the form's required marks follow.
   */
  requiredVariables(
    connectorId: string,
    authMethodId: string,
    values?: Readonly<Record<string, string>>,
  ): readonly string[];
  /** Given `{ instanceId }`, renews the consent of an instance that needs re-authorization. */
  beginAuthorization(
    input: DashboardInstanceInput | DashboardReauthorizeInput,
  ): Promise<{ readonly authorizationUrl: string }>;
  completeAuthorization(callback: string): Promise<Instance>;
  addInstance(input: DashboardInstanceInput): Promise<Instance>;
  /** The instance, or `undefined` when there is none (a runtime may also throw INSTANCE_NOT_FOUND). */
  getInstance(id: string): Promise<Instance | undefined>;
  listEndpoints(instanceId: string): Promise<readonly DashboardEndpoint[]>;
  callEndpoint(
    instanceId: string,
    endpointId: string,
    input: {
      readonly variables?: Readonly<Record<string, string>>;
      readonly body?: JsonValue;
    },
  ): Promise<DashboardCallResult>;
  /** Optional: every instance in the store. Without it the dashboard lists those it added. */
  listInstances?(): Promise<readonly Instance[]>;
  /** The loaded connectors, each auth method with its strategy's defaults merged in. */
  listConnectors(): readonly ResolvedConnector[];
}
