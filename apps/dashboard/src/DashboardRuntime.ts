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
 * What `runtime.credentialStatus` returns, as far as the dashboard reads it (times in epoch ms).
 *
 * @example
 * ```ts
 * const status: DashboardCredentialStatus = { state: 'valid', refreshable: true, expiresAt: Date.now() + 3_600_000 };
 * ```
 */
export interface DashboardCredentialStatus {
  readonly state: string;
  readonly obtainedAt?: number;
  readonly expiresAt?: number;
  readonly refreshedAt?: number;
  readonly nextRefreshAt?: number;
  readonly scopes?: readonly string[];
  readonly refreshable: boolean;
}

/**
 * What `runtime.previewRequest` returns: the request a call would send, secrets masked.
 *
 * @example
 * ```ts
 * const preview: DashboardRequestPreview = { method: 'GET', url: 'https://api.example/orders', headers: {}, signed: false };
 * ```
 */
export interface DashboardRequestPreview {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signed: boolean;
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
  /** Given `{ instanceId }`, renews the consent of an instance that needs re-authorization. */
  beginAuthorization(
    input: DashboardInstanceInput | DashboardReauthorizeInput,
  ): Promise<{ readonly authorizationUrl: string; readonly state?: string }>;
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
  /** Optional: renames an instance (the Rename form is shown when present). */
  updateInstance?(instanceId: string, changes: { readonly name: string }): Promise<Instance>;
  /** Optional: deletes an instance and its credentials (the Delete button). */
  deleteInstance?(instanceId: string): Promise<boolean>;
  /** Optional: forgets an interactive instance's credentials until a new consent (Disconnect). */
  disconnectInstance?(instanceId: string): Promise<Instance>;
  /** Optional: secret-free facts about the stored credentials (the token status panel). */
  credentialStatus?(instanceId: string): Promise<DashboardCredentialStatus>;
  /** Optional: the request a call would send, secrets masked (shown on each endpoint). */
  previewRequest?(
    instanceId: string,
    endpointId: string,
    input: { readonly variables?: Readonly<Record<string, string>>; readonly body?: JsonValue },
  ): Promise<DashboardRequestPreview>;
  /** The loaded connectors, each auth method with its strategy's defaults merged in. */
  listConnectors(): readonly ResolvedConnector[];
}
