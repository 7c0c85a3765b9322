import {
  type EndpointDefinition,
  type Instance,
  type InstanceRecord,
  invalidArgument,
  type ResolvedConnector,
  resolveValues,
  scrub,
} from '@splice/core';
import { callEndpoint } from './calls/callEndpoint.js';
import { previewRequest } from './calls/previewRequest.js';
import type { RequestPreview } from './calls/RequestPreview.js';
import { requiredKeys } from './catalog/requiredKeys.js';
import type { CredentialStatus } from './connections/CredentialStatus.js';
import type { CallbackInput } from './connections/callbackParams.js';
import { disconnectInstance } from './connections/disconnectInstance.js';
import { instanceIdOf } from './connections/instanceIdOf.js';
import { toCredentialStatus } from './connections/toCredentialStatus.js';
import { toInstance } from './connections/toInstance.js';
import { type UpdateParts, updateInstance } from './connections/updateInstance.js';
import type { RuntimeParts } from './container/RuntimeParts.js';
import type { RuntimeEvents } from './events/RuntimeEvents.js';
import type {
  AddInstanceInput,
  AuthorizationStart,
  CallInput,
  EndpointResult,
  InstanceChanges,
  ReauthorizeInput,
} from './RuntimeOptions.js';
import { runtimeClosed } from './runtimeClosed.js';

/**
 * The Splice runtime (SPEC §5), made by `createRuntime`: a facade over the connector catalog
 * (`catalog/`), the instance lifecycle (`connections/`) and endpoint calls (`calls/`). Every
 * method is documented with its errors in the package README.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ connectors, strategies: [oauth2AuthorizationCode()] });
 * const { authorizationUrl } = await runtime.beginAuthorization({
 *   connectorId: 'acme', authMethodId: 'acme-oauth', name: 'Acme EU', variables });
 * const instance = await runtime.completeAuthorization(callbackUrl);
 * const { data } = await runtime.callEndpoint(instance, 'list-orders', { variables: { status: 'open' } });
 * ```
 */
export class Runtime {
  readonly #parts: RuntimeParts;
  #closed = false;

  constructor(parts: RuntimeParts) {
    this.#parts = parts;
  }

  /** The connectors, each auth method with its strategy's locked default variables merged in. */
  listConnectors(): ResolvedConnector[] {
    return this.#parts.catalog.list();
  }

  /**
   * The variable keys an instance of the method needs a value for, given what was entered so far
   * (a form asks this to mark fields required): `CONNECTOR_NOT_FOUND`, `AUTH_METHOD_NOT_FOUND`.
   */
  requiredVariables(
    connectorId: string,
    authMethodId: string,
    values: Readonly<Record<string, string>> = {},
  ): string[] {
    const { catalog } = this.#open();
    const connector = catalog.connector(connectorId);
    const method = catalog.method(connector, authMethodId);
    return requiredKeys(connector, method, resolveValues(method.variables, values));
  }

  /** Starts adding (or, with `{ instanceId }`, renewing) an instance through a consent page. */
  async beginAuthorization(
    input: AddInstanceInput | ReauthorizeInput,
  ): Promise<AuthorizationStart> {
    return this.#open().authorizer.begin(input);
  }

  /** Finishes an authorization from the provider's callback (URL, query string or object). */
  async completeAuthorization(callback: CallbackInput): Promise<Instance> {
    return this.#open().authorizer.complete(callback);
  }

  /** Adds an instance with a non-interactive method; credentials are checked before saving. */
  async addInstance(input: AddInstanceInput): Promise<Instance> {
    return this.#open().authorizer.add(input);
  }

  /** The instance `id` (secret values redacted), or `undefined` when there is none. */
  async getInstance(id: string): Promise<Instance | undefined> {
    const read = await this.#open().repository.read(instanceIdOf(id));
    return read === undefined ? undefined : this.#public(read.record);
  }

  /** Every instance in the store, oldest first. */
  async listInstances(): Promise<Instance[]> {
    const records = await this.#open().repository.list();
    return records
      .map((record) => this.#public(record))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /**
   * Renames an instance, changes its configurable variable values or its rate limit (`null`: the
   * connector's applies again); checked like creation. A non-configurable value is refused with
   * `VARIABLE_INVALID` naming the key. The next call in this process uses the new values.
   * `rerunPostAuthorization: true` runs the method's post-authorization steps again.
   */
  async updateInstance(
    instanceOrId: Instance | string,
    changes: InstanceChanges,
  ): Promise<Instance> {
    return updateInstance(this.#changeParts(), instanceOrId, changes);
  }

  /**
   * Forgets an interactive instance's credentials and marks it `reauthorization_required` (kept,
   * with its id, name and values) until a new consent; the provider is not called. Non-interactive
   * methods: `AUTH_NOT_INTERACTIVE`.
   */
  async disconnectInstance(instanceOrId: Instance | string): Promise<Instance> {
    return disconnectInstance(this.#changeParts(), instanceOrId);
  }

  /**
   * Secret-free facts about an instance's stored credentials — state, obtained and expiry times,
   * last and next refresh, granted scopes, whether they can be refreshed — read from the store
   * without refreshing or sending anything: `INSTANCE_NOT_FOUND`.
   */
  async credentialStatus(instanceOrId: Instance | string): Promise<CredentialStatus> {
    const { catalog, repository, services } = this.#open();
    const id = instanceIdOf(instanceOrId);
    const record = await repository.record(id);
    const method = catalog.method(catalog.connector(record.connectorId), record.authMethodId);
    return toCredentialStatus(record, method, await repository.credentials(id), services.now());
  }

  /** Deletes an instance and its credentials; true when it existed. */
  async deleteInstance(instanceOrId: Instance | string): Promise<boolean> {
    const { repository, catalog, sessions } = this.#open();
    const id = instanceIdOf(instanceOrId);
    const record = await repository.delete(id);
    if (record !== undefined) catalog.methodOf(record)?.strategy.forget?.(id);
    await sessions.drop(id);
    return record !== undefined;
  }

  /** The endpoints the instance's auth method is enabled for (what a connector shape offers). */
  async listEndpoints(instanceOrId: Instance | string): Promise<EndpointDefinition[]> {
    const { catalog, repository, sessions } = this.#open();
    const id = instanceIdOf(instanceOrId);
    const loaded = sessions.peek(id);
    if (loaded !== undefined) return [...loaded.method.endpoints];
    const record = await repository.record(id);
    return [
      ...catalog.method(catalog.connector(record.connectorId), record.authMethodId).endpoints,
    ];
  }

  /**
   * Calls an endpoint of an instance, gated by its auth method, through rate limit → retry → auth
   * → the engine's layers → transport: a 2xx resolves to `{ status, headers, body, data }`.
   */
  async callEndpoint<T = unknown>(
    instanceOrId: Instance | string,
    endpointId: string,
    input?: CallInput,
  ): Promise<EndpointResult<T>> {
    const { sessions, telemetry, reauthorizationRequired } = this.#open();
    const id = typeof instanceOrId === 'string' ? instanceOrId : instanceIdOf(instanceOrId);
    // The hot path: a loaded, healthy session, no I/O and no extra await.
    let session = sessions.peek(id);
    if (session === undefined || session.record.status !== 'active') {
      session = await sessions.current(id);
    }
    return callEndpoint<T>(session, endpointId, input, telemetry, reauthorizationRequired);
  }

  /**
   * `text` with every secret value of the instance removed (`"[redacted]"`), in each encoding
   * core's `scrub` knows (raw, URL- and form-encoded, JSON-escaped, base64): its credentials, its
   * secret variables (definition defaults included) and secret captured values. For showing what an
   * API answered: a 2xx body is returned as the API sent it, and an echo API sends the token back.
   * Returns no secret itself. Errors: `INSTANCE_NOT_FOUND`.
   *
   * @example
   * ```ts
   * const result = await runtime.callEndpoint(instance, 'echo');
   * show(await runtime.scrubSecrets(instance, result.body));
   * ```
   */
  async scrubSecrets(instanceOrId: Instance | string, text: string): Promise<string> {
    const { sessions, repository } = this.#open();
    const id = instanceIdOf(instanceOrId);
    const session = sessions.peek(id) ?? (await sessions.load(id));
    return scrub(text, session.secrets(await repository.credentials(id)));
  }

  /**
   * The request `callEndpoint` would send for the same arguments — method, URL, headers, body —
   * rendered by the call path's own code with every credential and secret value masked as
   * `"[redacted]"`. Sends nothing and never refreshes. Errors as `callEndpoint` before sending:
   * `INSTANCE_NOT_FOUND`, `ENDPOINT_NOT_FOUND`, `ENDPOINT_NOT_ENABLED`, `TEMPLATE_UNRESOLVED`,
   * `INVALID_ARGUMENT`.
   */
  async previewRequest(
    instanceOrId: Instance | string,
    endpointId: string,
    input?: CallInput,
  ): Promise<RequestPreview> {
    const { catalog, repository, services } = this.#open();
    return previewRequest(
      { catalog, repository, services },
      instanceIdOf(instanceOrId),
      endpointId,
      input,
    );
  }

  /**
   * Records the user's choice for an instance in `pending_choice` (a post-authorization step whose
   * answer offered several, e.g. Xero organisations): `stepId` and `choiceId` are one of
   * `instance.pendingChoice`'s. The chosen item's captured values are saved, the remaining steps
   * run, and the instance is returned — `active`, or `pending_choice` again when a later step
   * offers a choice too. `CHOICE_INVALID` for a step or choice the instance does not offer.
   *
   * @example
   * ```ts
   * const instance = await runtime.completeAuthorization(callbackUrl);
   * if (instance.status === 'pending_choice' && instance.pendingChoice) {
   *   const picked = await askUser(instance.pendingChoice.choices); // [{ id, label }]
   *   await runtime.chooseValue(instance, instance.pendingChoice.stepId, picked.id);
   * }
   * ```
   */
  async chooseValue(
    instanceOrId: Instance | string,
    stepId: string,
    choiceId: string,
  ): Promise<Instance> {
    if (typeof stepId !== 'string' || typeof choiceId !== 'string') {
      throw invalidArgument('"stepId" and "choiceId" of chooseValue must be strings');
    }
    const record = await this.#open().postAuthorization.choose(
      instanceIdOf(instanceOrId),
      stepId,
      choiceId,
    );
    return this.#public(record);
  }

  /** Adds an event listener. */
  on<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): this {
    this.#parts.events.on(event, listener);
    return this;
  }

  /** Removes an event listener. */
  off<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): this {
    this.#parts.events.off(event, listener);
    return this;
  }

  /**
   * Stops the runtime: releases rate limiters, closes the strategies, and closes the dispatcher
   * and store when the runtime made them. Later calls fail with `RUNTIME_CLOSED`. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const { sessions, catalog, settings, dispatcher, store, events } = this.#parts;
    await sessions.close();
    await Promise.allSettled(catalog.strategies.map((strategy) => strategy.close?.()));
    if (settings.ownsDispatcher) await dispatcher.close();
    if (settings.ownsStore) await store.close();
    events.clear();
  }

  #open(): RuntimeParts {
    if (this.#closed) throw runtimeClosed();
    return this.#parts;
  }

  #changeParts(): UpdateParts {
    const { catalog, repository, sessions, services, postAuthorization } = this.#open();
    return {
      catalog,
      repository,
      services,
      drop: async (id, method) => {
        method.strategy.forget?.(id);
        await sessions.drop(id);
      },
      rerun: (id) => postAuthorization.run(id),
    };
  }

  #public(record: InstanceRecord): Instance {
    // An instance of a connector that is no longer loaded: hide every value.
    const keys =
      this.#parts.catalog.methodOf(record)?.secretKeys ??
      new Set([...Object.keys(record.variables), ...Object.keys(record.captured ?? {})]);
    return toInstance(record, keys);
  }
}
