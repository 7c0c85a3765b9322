import type {
  EndpointDefinition,
  Instance,
  JsonValue,
  ResolvedConnector,
  VariableDefinition,
} from '@splice/core';
import type { CredentialStatus, RequestPreview } from '@splice/endpoint-runtime';

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
 * What `runtime.credentialStatus` returns (`@splice/endpoint-runtime`'s `CredentialStatus`).
 *
 * @example
 * ```ts
 * const status: DashboardCredentialStatus = await runtime.credentialStatus(instanceId);
 * ```
 */
export type DashboardCredentialStatus = CredentialStatus;

/**
 * What `runtime.previewRequest` returns (`@splice/endpoint-runtime`'s `RequestPreview`).
 *
 * @example
 * ```ts
 * const preview: DashboardRequestPreview = await runtime.previewRequest(instanceId, 'list-orders', {});
 * ```
 */
export type DashboardRequestPreview = RequestPreview;

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
  /**
   * Optional: renames an instance (the Rename form is shown when present), or, with
   * `rerunPostAuthorization: true`, runs its method's post-authorization steps again (the
   * "Run the post-authorization steps again" button, for a method that declares steps).
   */
  updateInstance?(
    instanceId: string,
    changes: { readonly name?: string; readonly rerunPostAuthorization?: boolean },
  ): Promise<Instance>;
  /**
   * Optional: records the user's pick for an instance in `pending_choice` (`stepId` and
   * `choiceId` from `instance.pendingChoice`); answers the instance, `active` or waiting for the
   * next step's choice. Throws `CHOICE_INVALID` for a step or choice the instance does not offer.
   * The choice form is shown when present.
   */
  chooseValue?(instanceId: string, stepId: string, choiceId: string): Promise<Instance>;
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
  /**
   * Optional: `text` with every secret value of the instance removed (what an API answered may
   * echo a token under any name). Without it the page masks credential-named fields only.
   */
  scrubSecrets?(instanceId: string, text: string): Promise<string>;
  /** The loaded connectors, each auth method with its strategy's defaults merged in. */
  listConnectors(): readonly ResolvedConnector[];
}
