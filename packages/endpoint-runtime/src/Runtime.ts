import { randomUUID } from 'node:crypto';
import {
  type AuthContext,
  type AuthStrategy,
  type ConnectorDefinition,
  type Credentials,
  type EndpointDefinition,
  type Instance,
  type InstanceRecord,
  invalidArgument,
  type JsonObject,
  type Logger,
  PENDING_AUTHORIZATION_TTL_MS,
  type PendingAuthorization,
  type RateLimit,
  SpliceError,
  type Store,
  savePendingAuthorization,
  storeKeys,
  takePendingAuthorization,
} from '@splice/core';
import type { Dispatcher } from 'undici';
import type { CompiledConnector, CompiledMethod } from './connector/CompiledConnector.js';
import { compileConnector } from './connector/compileConnector.js';
import type { RuntimeSettings } from './container/RuntimeSettings.js';
import { checkCallInput } from './endpoint/checkCallInput.js';
import { toEndpointResult } from './endpoint/toEndpointResult.js';
import { RuntimeEventEmitter, type RuntimeEvents } from './events/RuntimeEvents.js';
import { type CallbackInput, callbackParams } from './instance/callbackParams.js';
import { checkRateLimit } from './instance/checkRateLimit.js';
import { checkRequired } from './instance/checkRequired.js';
import { checkVariables } from './instance/checkVariables.js';
import { InstanceState } from './instance/InstanceState.js';
import { toInstance } from './instance/toInstance.js';
import { createAuthLayer } from './pipeline/createAuthLayer.js';
import { createRateLimitLayer } from './pipeline/createRateLimitLayer.js';
import { createRetryLayer } from './pipeline/createRetryLayer.js';
import { createTransport } from './pipeline/createTransport.js';
import type { EndpointCall, Send } from './pipeline/EndpointCall.js';
import { limiterOptions } from './pipeline/limiterOptions.js';
import type {
  AddInstanceInput,
  AuthorizationStart,
  CallInput,
  EndpointResult,
  LimiterFactory,
  ReauthorizeInput,
} from './RuntimeOptions.js';
import { EndpointTelemetry } from './telemetry/EndpointTelemetry.js';

/**
 * Everything the runtime is built from; resolved by the container in `createRuntime`.
 *
 * @example
 * ```ts
 * const runtime = new Runtime({ connectors, strategies, store, logger, now, dispatcher,
 *   callbackUrl, limiterFactory, settings }); // what createRuntime's container does
 * ```
 */
export interface RuntimeDependencies {
  readonly connectors: readonly ConnectorDefinition[];
  readonly strategies: readonly AuthStrategy[];
  readonly store: Store;
  readonly logger: Logger;
  readonly now: () => number;
  readonly dispatcher: Dispatcher;
  readonly callbackUrl: string | undefined;
  readonly limiterFactory: LimiterFactory;
  readonly settings: RuntimeSettings;
}

const NO_INPUT: CallInput = Object.freeze({});

function instanceIdOf(instanceOrId: unknown): string {
  if (typeof instanceOrId === 'string' && instanceOrId !== '') return instanceOrId;
  const id = (instanceOrId as { id?: unknown } | null)?.id;
  if (typeof id === 'string' && id !== '') return id;
  throw invalidArgument('"instance" must be an instance id or an Instance object');
}

function checkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalidArgument('"name" of the instance must be a non-empty string');
  }
  return name;
}

/**
 * The Splice runtime (SPEC §5): adds instances through their auth method's strategy, keeps them in
 * the store, lists the endpoints each instance's method is enabled for and calls them through the
 * pipeline rate limit → retry → auth → transport. Made by {@link createRuntime}.
 *
 * @example
 * ```ts
 * const runtime = createRuntime({ connectors, strategies: [oauth2AuthorizationCode()] });
 * const { authorizationUrl } = await runtime.beginAuthorization({
 *   connectorId: 'acme', authMethodId: 'acme-oauth', name: 'Acme EU', variables });
 * // ... the user consents, the provider redirects to the callback URL ...
 * const instance = await runtime.completeAuthorization(callbackUrl);
 * const { data } = await runtime.callEndpoint(instance, 'list-orders', { variables: { status: 'open' } });
 * ```
 */
export class Runtime {
  readonly #connectors = new Map<string, CompiledConnector>();
  readonly #strategies: readonly AuthStrategy[];
  readonly #store: Store;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #dispatcher: Dispatcher;
  readonly #callbackUrl: string | undefined;
  readonly #limiterFactory: LimiterFactory;
  readonly #settings: RuntimeSettings;
  readonly #events: RuntimeEventEmitter;
  readonly #telemetry = new EndpointTelemetry();
  /** retry → auth → transport; the rate-limit layer is added per instance. */
  readonly #send: Send;
  readonly #states = new Map<string, InstanceState>();
  readonly #loading = new Map<string, Promise<InstanceState>>();
  #closed = false;

  constructor(deps: RuntimeDependencies) {
    this.#store = deps.store;
    this.#logger = deps.logger;
    this.#now = deps.now;
    this.#dispatcher = deps.dispatcher;
    this.#callbackUrl = deps.callbackUrl;
    this.#limiterFactory = deps.limiterFactory;
    this.#settings = deps.settings;
    this.#events = new RuntimeEventEmitter(deps.logger);
    this.#strategies = deps.strategies;

    const byType = new Map<string, AuthStrategy>();
    for (const strategy of deps.strategies) {
      if (byType.has(strategy.type)) {
        throw invalidArgument(
          `Two strategies are registered for type "${strategy.type}": register each type once`,
          'INVALID_OPTION',
        );
      }
      byType.set(strategy.type, strategy);
    }
    for (const definition of deps.connectors) {
      if (this.#connectors.has(definition.id)) {
        throw new SpliceError(
          'CONNECTOR_INVALID',
          `Two connectors have the id "${definition.id}": connector ids must be unique in a runtime.`,
          { details: { connectorId: definition.id } },
        );
      }
      this.#connectors.set(definition.id, compileConnector(definition, byType));
    }

    const transport = createTransport(deps.dispatcher, deps.settings.maxResponseBytes);
    this.#send = createRetryLayer(
      createAuthLayer(transport, deps.logger),
      deps.settings.retry,
      deps.now,
      deps.logger,
    );
  }

  // ---- connectors -------------------------------------------------------------------------

  /**
   * The loaded connector definitions, in the order given, each auth method with its strategy's
   * locked default variables merged in (what a settings form should offer).
   */
  listConnectors(): ConnectorDefinition[] {
    return [...this.#connectors.values()].map((c) => c.definition);
  }

  #connector(connectorId: unknown): CompiledConnector {
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

  #method(connector: CompiledConnector, authMethodId: unknown): CompiledMethod {
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

  #authContext(
    connector: CompiledConnector,
    method: CompiledMethod,
    variables: Readonly<Record<string, string>>,
  ): AuthContext {
    const values = { ...method.defaults, ...variables };
    checkRequired(connector, method, values);
    return {
      connector: connector.definition,
      method: method.definition,
      values,
      ...(this.#callbackUrl === undefined ? {} : { callbackUrl: this.#callbackUrl }),
      store: this.#store,
      dispatcher: this.#dispatcher,
      logger: this.#logger,
      now: this.#now,
    };
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new SpliceError('RUNTIME_CLOSED', 'The runtime was closed: create a new one.');
    }
  }

  // ---- instance lifecycle -----------------------------------------------------------------

  /**
   * Starts adding an instance with an interactive method (OAuth 2 authorization code): checks the
   * variables (one `VARIABLE_MISSING` lists every missing required key), has the strategy make
   * the state and authorise URL, and keeps a one-time pending authorization for 10 minutes.
   * Given `{ instanceId }`, renews the consent of an existing instance instead (after
   * `reauthorization_required`); its id stays the same.
   */
  async beginAuthorization(
    input: AddInstanceInput | ReauthorizeInput,
  ): Promise<AuthorizationStart> {
    this.#checkOpen();
    if (input === null || typeof input !== 'object') {
      throw invalidArgument('"input" of beginAuthorization must be an object');
    }
    let connector: CompiledConnector;
    let method: CompiledMethod;
    let pending: Omit<PendingAuthorization, 'data' | 'expiresAt'>;
    if ('instanceId' in input && input.instanceId !== undefined) {
      const record = await this.#record(instanceIdOf(input.instanceId));
      connector = this.#connector(record.connectorId);
      method = this.#method(connector, record.authMethodId);
      const variables = {
        ...record.variables,
        ...checkVariables(connector, method, input.variables),
      };
      pending = {
        connectorId: record.connectorId,
        authMethodId: record.authMethodId,
        name: record.name,
        variables,
        instanceId: record.id,
      };
    } else {
      const add = input as AddInstanceInput;
      connector = this.#connector(add.connectorId);
      method = this.#method(connector, add.authMethodId);
      const rateLimit = checkRateLimit(add.rateLimit);
      pending = {
        connectorId: connector.definition.id,
        authMethodId: method.definition.id,
        name: checkName(add.name),
        variables: checkVariables(connector, method, add.variables),
        ...(rateLimit === undefined ? {} : { rateLimit }),
      };
    }
    const { strategy } = method;
    if (!strategy.interactive || strategy.begin === undefined) {
      throw new SpliceError(
        'AUTH_NOT_INTERACTIVE',
        `Auth method "${method.definition.id}" (type "${strategy.type}") of connector "${connector.definition.id}" does not send the user to a consent page: add instances of it with addInstance().`,
        { details: { connectorId: connector.definition.id, authMethodId: method.definition.id } },
      );
    }
    const context = this.#authContext(connector, method, pending.variables);
    const request = await strategy.begin(context);
    const expiresAt = this.#now() + PENDING_AUTHORIZATION_TTL_MS;
    await savePendingAuthorization(this.#store, request.state, {
      ...pending,
      data: request.data,
      expiresAt,
    });
    return { authorizationUrl: request.authorizationUrl, state: request.state, expiresAt };
  }

  /**
   * Finishes an interactive authorization from the provider's callback (the URL, its query string
   * or a query object). The state is taken atomically: unknown, expired or reused →
   * `AUTH_STATE_INVALID`. The strategy obtains the credentials; the instance record and the
   * credentials are saved before the instance is returned.
   */
  async completeAuthorization(callback: CallbackInput): Promise<Instance> {
    this.#checkOpen();
    const params = callbackParams(callback);
    const state = params.get('state') ?? '';
    const pending = await takePendingAuthorization(this.#store, state, this.#now());
    if (pending === undefined) {
      throw new SpliceError(
        'AUTH_STATE_INVALID',
        `The callback's "state" is ${state === '' ? 'missing' : 'unknown, expired or already used'}: authorizations are one-time and expire after 10 minutes. Start again with beginAuthorization().`,
        { details: { statePresent: state !== '' } },
      );
    }
    const connector = this.#connector(pending.connectorId);
    const method = this.#method(connector, pending.authMethodId);
    const { strategy } = method;
    if (strategy.complete === undefined) {
      throw new SpliceError(
        'AUTH_NOT_INTERACTIVE',
        `Auth method "${method.definition.id}" (type "${strategy.type}") cannot complete an authorization callback.`,
        { details: { connectorId: connector.definition.id, authMethodId: method.definition.id } },
      );
    }
    const context = this.#authContext(connector, method, pending.variables);
    const credentials = await strategy.complete(context, { params, data: pending.data });
    if (pending.instanceId !== undefined) {
      return this.#renew(pending.instanceId, method, pending.variables, credentials);
    }
    return this.#save(method, pending, credentials);
  }

  /**
   * Adds an instance with a non-interactive method (token, basic, or OAuth 2 with
   * `oauth_authorised_code`): the strategy checks the credentials (`authenticate`) before anything
   * is saved. An interactive method without such a direct path → `AUTH_NOT_INTERACTIVE`.
   */
  async addInstance(input: AddInstanceInput): Promise<Instance> {
    this.#checkOpen();
    if (input === null || typeof input !== 'object') {
      throw invalidArgument('"input" of addInstance must be an object');
    }
    const connector = this.#connector(input.connectorId);
    const method = this.#method(connector, input.authMethodId);
    const name = checkName(input.name);
    const variables = checkVariables(connector, method, input.variables);
    const rateLimit = checkRateLimit(input.rateLimit);
    const { strategy } = method;
    if (strategy.authenticate === undefined) {
      throw new SpliceError(
        'AUTH_NOT_INTERACTIVE',
        `Auth method "${method.definition.id}" (type "${strategy.type}") of connector "${connector.definition.id}" needs the user's consent: add instances of it with beginAuthorization() and completeAuthorization().`,
        { details: { connectorId: connector.definition.id, authMethodId: method.definition.id } },
      );
    }
    const context = this.#authContext(connector, method, variables);
    const credentials = await strategy.authenticate(context);
    return this.#save(
      method,
      {
        connectorId: connector.definition.id,
        authMethodId: method.definition.id,
        name,
        variables,
        ...(rateLimit === undefined ? {} : { rateLimit }),
      },
      credentials,
    );
  }

  async #save(
    method: CompiledMethod,
    input: {
      readonly connectorId: string;
      readonly authMethodId: string;
      readonly name: string;
      readonly variables: Readonly<Record<string, string>>;
      readonly rateLimit?: RateLimit;
    },
    credentials: Credentials,
  ): Promise<Instance> {
    const at = new Date(this.#now()).toISOString();
    const record: InstanceRecord = {
      id: randomUUID(),
      name: input.name,
      connectorId: input.connectorId,
      authMethodId: input.authMethodId,
      status: 'active',
      variables: input.variables,
      ...(input.rateLimit === undefined ? {} : { rateLimit: input.rateLimit }),
      createdAt: at,
      updatedAt: at,
    };
    // Credentials first: an instance record never exists without its credentials.
    await this.#store.set(storeKeys.credentials(record.id), credentials as unknown as JsonObject, {
      ifVersion: 0,
    });
    await this.#store.set(storeKeys.instance(record.id), record as unknown as JsonObject, {
      ifVersion: 0,
    });
    return toInstance(record, method.secretKeys);
  }

  async #renew(
    instanceId: string,
    method: CompiledMethod,
    variables: Readonly<Record<string, string>>,
    credentials: Credentials,
  ): Promise<Instance> {
    const entry = await this.#store.get<JsonObject>(storeKeys.instance(instanceId));
    if (entry === undefined) throw this.#notFound(instanceId);
    const previous = entry.value as unknown as InstanceRecord;
    const record: InstanceRecord = {
      ...previous,
      variables,
      status: 'active',
      updatedAt: new Date(this.#now()).toISOString(),
    };
    await this.#store.set(storeKeys.credentials(instanceId), credentials as unknown as JsonObject);
    await this.#store.set(storeKeys.instance(instanceId), record as unknown as JsonObject);
    method.strategy.forget?.(instanceId);
    await this.#drop(instanceId);
    return toInstance(record, method.secretKeys);
  }

  #notFound(instanceId: string): SpliceError {
    return new SpliceError(
      'INSTANCE_NOT_FOUND',
      `No instance "${instanceId}" exists in the store. It may have been deleted; list instances with listInstances().`,
      { details: { instanceId } },
    );
  }

  async #record(instanceId: string): Promise<InstanceRecord> {
    const entry = await this.#store.get<JsonObject>(storeKeys.instance(instanceId));
    if (entry === undefined) throw this.#notFound(instanceId);
    return entry.value as unknown as InstanceRecord;
  }

  #secretKeysOf(record: InstanceRecord): ReadonlySet<string> {
    const method = this.#connectors.get(record.connectorId)?.methods.get(record.authMethodId);
    // An instance of a connector that is no longer loaded: hide every value.
    return method?.secretKeys ?? new Set(Object.keys(record.variables));
  }

  /** The instance `id` (secret values redacted), or `undefined` when there is none. */
  async getInstance(id: string): Promise<Instance | undefined> {
    this.#checkOpen();
    const entry = await this.#store.get<JsonObject>(storeKeys.instance(instanceIdOf(id)));
    if (entry === undefined) return undefined;
    const record = entry.value as unknown as InstanceRecord;
    return toInstance(record, this.#secretKeysOf(record));
  }

  /** Every instance in the store, oldest first. */
  async listInstances(): Promise<Instance[]> {
    this.#checkOpen();
    const keys = await this.#store.keys(storeKeys.instances);
    const out: Instance[] = [];
    for (const key of keys) {
      const entry = await this.#store.get<JsonObject>(key);
      if (entry === undefined) continue;
      const record = entry.value as unknown as InstanceRecord;
      out.push(toInstance(record, this.#secretKeysOf(record)));
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** Deletes an instance and its credentials; true when it existed. */
  async deleteInstance(instanceOrId: Instance | string): Promise<boolean> {
    this.#checkOpen();
    const id = instanceIdOf(instanceOrId);
    const entry = await this.#store.get<JsonObject>(storeKeys.instance(id));
    const deleted = await this.#store.delete(storeKeys.instance(id));
    await this.#store.delete(storeKeys.credentials(id));
    if (entry !== undefined) {
      const record = entry.value as unknown as InstanceRecord;
      this.#connectors
        .get(record.connectorId)
        ?.methods.get(record.authMethodId)
        ?.strategy.forget?.(id);
    }
    await this.#drop(id);
    return deleted;
  }

  async #drop(instanceId: string): Promise<void> {
    const state = this.#states.get(instanceId);
    this.#states.delete(instanceId);
    await state?.dispose();
  }

  // ---- instance state (cached per process) ---------------------------------------------------

  #state(instanceId: string): Promise<InstanceState> {
    let loading = this.#loading.get(instanceId);
    if (loading === undefined) {
      loading = this.#load(instanceId).finally(() => this.#loading.delete(instanceId));
      this.#loading.set(instanceId, loading);
    }
    return loading;
  }

  async #load(instanceId: string): Promise<InstanceState> {
    const record = await this.#record(instanceId);
    const connector = this.#connector(record.connectorId);
    const method = this.#method(connector, record.authMethodId);
    const rateLimit = record.rateLimit ?? connector.definition.rateLimit;
    const limiter =
      rateLimit === undefined
        ? undefined
        : this.#limiterFactory({
            ...limiterOptions(rateLimit),
            id: `splice:rate-limit:${record.connectorId}:${record.id}`,
          });
    const send = limiter === undefined ? this.#send : createRateLimitLayer(this.#send, limiter);
    const state = new InstanceState(
      record,
      connector,
      method,
      {
        store: this.#store,
        logger: this.#logger,
        now: this.#now,
        dispatcher: this.#dispatcher,
        callbackUrl: this.#callbackUrl,
      },
      send,
      limiter,
    );
    if (this.#closed) {
      await state.dispose();
      this.#checkOpen();
    }
    this.#states.set(instanceId, state);
    return state;
  }

  async #markReauthorizationRequired(state: InstanceState, error: SpliceError): Promise<void> {
    const key = storeKeys.instance(state.record.id);
    // Compare-and-set, so that of many failing calls (or processes) exactly one makes the
    // transition and fires the event.
    for (let tries = 0; tries < 5; tries++) {
      const entry = await this.#store.get<JsonObject>(key);
      if (entry === undefined) return;
      const current = entry.value as unknown as InstanceRecord;
      if (current.status === 'reauthorization_required') {
        state.update(current);
        return;
      }
      const next: InstanceRecord = {
        ...current,
        status: 'reauthorization_required',
        updatedAt: new Date(this.#now()).toISOString(),
      };
      try {
        await this.#store.set(key, next as unknown as JsonObject, { ifVersion: entry.version });
      } catch (conflict) {
        if (SpliceError.is(conflict, 'STORE_CONFLICT')) continue;
        this.#logger.error('Could not mark the instance as needing re-authorization', {
          instanceId: current.id,
          code: SpliceError.is(conflict) ? conflict.code : 'error',
        });
        return;
      }
      state.update(next);
      this.#logger.warn('Instance needs re-authorization', {
        instanceId: next.id,
        connectorId: next.connectorId,
      });
      this.#events.emit(
        'reauthorizationRequired',
        toInstance(next, state.method.secretKeys),
        error,
      );
      return;
    }
  }

  // ---- endpoints --------------------------------------------------------------------------

  /**
   * The endpoints the instance's auth method is enabled for, in definition order, each with its
   * variables (what a connector shape offers). `INSTANCE_NOT_FOUND` for an unknown instance.
   */
  async listEndpoints(instanceOrId: Instance | string): Promise<EndpointDefinition[]> {
    this.#checkOpen();
    const id = instanceIdOf(instanceOrId);
    const state = this.#states.get(id) ?? (await this.#state(id));
    return [...state.method.endpoints];
  }

  /**
   * Calls an endpoint for an instance. Gated by the instance's auth method
   * (`ENDPOINT_NOT_ENABLED`, `ENDPOINT_NOT_FOUND`); the request goes through rate limit → retry →
   * auth → transport; a 2xx resolves to `{ status, headers, body, data }`, anything else rejects
   * with `ENDPOINT_HTTP_ERROR`.
   */
  async callEndpoint<T = unknown>(
    instanceOrId: Instance | string,
    endpointId: string,
    input: CallInput = NO_INPUT,
  ): Promise<EndpointResult<T>> {
    if (this.#closed) this.#checkOpen();
    const id = typeof instanceOrId === 'string' ? instanceOrId : instanceIdOf(instanceOrId);
    const state = this.#states.get(id) ?? (await this.#state(id));
    const target = state.target(endpointId);
    const call: EndpointCall = {
      target,
      input,
      signal: input?.signal,
      attempts: 0,
      refreshed: false,
    };
    const telemetry = this.#telemetry;
    const span = telemetry.start(target.telemetry);
    const started = performance.now();
    try {
      if (state.record.status !== 'active') throw reauthorizationPending(state.record);
      if (input !== NO_INPUT) checkCallInput(input);
      const response = await (span.isRecording()
        ? telemetry.activate(span, () => state.send(call))
        : state.send(call));
      const result = toEndpointResult<T>(target, response, call);
      telemetry.succeed(
        span,
        target.telemetry,
        response.status,
        call.attempts,
        performance.now() - started,
      );
      return result;
    } catch (error) {
      telemetry.fail(span, target.telemetry, error, call.attempts, performance.now() - started);
      if (SpliceError.is(error, 'REAUTHORIZATION_REQUIRED') && state.record.status === 'active') {
        // The caller gets the re-authorization error even when the store cannot record it.
        await this.#markReauthorizationRequired(state, error).catch((failure: unknown) =>
          this.#logger.error('Could not mark the instance as needing re-authorization', {
            instanceId: state.record.id,
            code: SpliceError.is(failure) ? failure.code : 'error',
          }),
        );
      }
      throw error;
    }
  }

  // ---- events and shutdown ----------------------------------------------------------------

  /** Adds an event listener. */
  on<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): this {
    this.#events.on(event, listener);
    return this;
  }

  /** Removes an event listener. */
  off<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): this {
    this.#events.off(event, listener);
    return this;
  }

  /**
   * Stops the runtime: releases rate limiters, closes the strategies, and closes the dispatcher and
   * store when the runtime made them (the ones passed in belong to the caller). Later calls fail
   * with `RUNTIME_CLOSED`. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const states = [...this.#states.values()];
    this.#states.clear();
    await Promise.allSettled(states.map((state) => state.dispose()));
    await Promise.allSettled(this.#strategies.map((strategy) => strategy.close?.()));
    if (this.#settings.ownsDispatcher) await this.#dispatcher.close();
    if (this.#settings.ownsStore) await this.#store.close();
    this.#events.clear();
  }
}

function reauthorizationPending(record: InstanceRecord): SpliceError {
  return new SpliceError(
    'REAUTHORIZATION_REQUIRED',
    `Instance "${record.id}" needs re-authorization before it can call endpoints: its credentials were rejected and could not be refreshed. Renew it with beginAuthorization({ instanceId: "${record.id}" }).`,
    { details: { instanceId: record.id, connectorId: record.connectorId } },
  );
}
