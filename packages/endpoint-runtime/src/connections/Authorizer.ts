import {
  type Credentials,
  callbackRefusal,
  type Instance,
  type InstanceRecord,
  invalidArgument,
  type RateLimit,
  SpliceError,
} from '@splice/core';
import type { AuthServices } from '../catalog/AuthServices.js';
import { authContext } from '../catalog/authContext.js';
import type { CompiledConnector, CompiledMethod } from '../catalog/CompiledConnector.js';
import type { ConnectorCatalog } from '../catalog/ConnectorCatalog.js';
import type { AddInstanceInput, AuthorizationStart, ReauthorizeInput } from '../RuntimeOptions.js';
import { type CallbackInput, callbackParams } from './callbackParams.js';
import { checkName } from './checkName.js';
import { checkRateLimit } from './checkRateLimit.js';
import { checkRequired } from './checkRequired.js';
import { checkVariables } from './checkVariables.js';
import type { InstanceRepository } from './InstanceRepository.js';
import { newInstanceId } from './newInstanceId.js';
import { PENDING_AUTHORIZATION_TTL_MS, type PendingAuthorization } from './PendingAuthorization.js';
import { toInstance } from './toInstance.js';

// No pending authorization for the callback's state. A provider may answer a refusal (RFC 6749
// §4.1.2.1 `error`, e.g. the user pressed Cancel) without the state it was sent: the refusal is
// what the user needs to hear, so it leads (core's callbackRefusal, as the strategies read it),
// and the state problem follows.
function stateInvalid(params: URLSearchParams, state: string): SpliceError {
  const problem = `callback's "state" is ${state === '' ? 'missing' : 'unknown, expired or already used'}`;
  const advice =
    'authorizations are one-time and expire after 10 minutes. Start again with beginAuthorization().';
  const code = params.get('code');
  const refusal = callbackRefusal(params, code === null ? [] : [code]);
  if (refusal === undefined) {
    return new SpliceError('AUTH_STATE_INVALID', `The ${problem}: ${advice}`, {
      details: { statePresent: state !== '' },
    });
  }
  return new SpliceError(
    'AUTH_STATE_INVALID',
    `The provider refused the authorization: ${refusal.said}. The ${problem}, so it cannot be matched to an authorization: ${advice}`,
    {
      details: {
        statePresent: state !== '',
        providerError: refusal.providerError,
        ...(refusal.providerErrorDescription === undefined
          ? {}
          : { providerErrorDescription: refusal.providerErrorDescription }),
      },
    },
  );
}

/**
 * Called after an instance's credentials were replaced (renewed consent), so that whatever was
 * cached for it (the strategy's token cache, the runtime's session) is dropped.
 *
 * @example
 * ```ts
 * const invalidate: Invalidate = async (instanceId, method) => method.strategy.forget?.(instanceId);
 * ```
 */
export type Invalidate = (instanceId: string, method: CompiledMethod) => Promise<void>;

/**
 * Runs the post-authorization steps of a freshly consented instance (saved with its credentials)
 * and resolves to its record as stored afterwards; the runtime's `PostAuthorization.run`.
 *
 * @example
 * ```ts
 * const afterConsent: AfterConsent = (instanceId) => postAuthorization.run(instanceId);
 * ```
 */
export type AfterConsent = (instanceId: string) => Promise<InstanceRecord>;

/** What a new instance is made of, before its credentials. */
type NewInstance = Omit<PendingAuthorization, 'data' | 'expiresAt' | 'instanceId'>;

function checkInput(input: unknown, operation: string): void {
  if (input === null || typeof input !== 'object') {
    throw invalidArgument(`"input" of ${operation} must be an object`);
  }
}

function notInteractive(connector: CompiledConnector, method: CompiledMethod, hint: string) {
  return new SpliceError(
    'AUTH_NOT_INTERACTIVE',
    `Auth method "${method.definition.id}" (type "${method.strategy.type}") of connector "${connector.definition.id}" ${hint}`,
    { details: { connectorId: connector.definition.id, authMethodId: method.definition.id } },
  );
}

/**
 * The one instance lifecycle (SPEC §4–5): begin and complete an interactive authorization, add an
 * instance directly, renew an instance's consent. Variables are checked before the strategy runs
 * (one `VARIABLE_MISSING` lists every missing key); the strategy obtains the credentials; they
 * are saved before the instance is returned. The runtime's facade and the testkit's strategy
 * harness both go through it.
 *
 * @example
 * ```ts
 * const authorizer = new Authorizer(catalog, repository, services, invalidate);
 * const { authorizationUrl } = await authorizer.begin({ connectorId, authMethodId, name });
 * const instance = await authorizer.complete(callbackUrl);
 * ```
 */
export class Authorizer {
  readonly #catalog: ConnectorCatalog;
  readonly #repository: InstanceRepository;
  readonly #services: AuthServices;
  readonly #invalidate: Invalidate;
  readonly #afterConsent: AfterConsent | undefined;

  /**
   * Without `afterConsent`, an instance of a method with post-authorization steps stays in
   * `pending_choice` after consent (the steps need the runtime's request pipeline).
   */
  constructor(
    catalog: ConnectorCatalog,
    repository: InstanceRepository,
    services: AuthServices,
    invalidate: Invalidate,
    afterConsent?: AfterConsent,
  ) {
    this.#catalog = catalog;
    this.#repository = repository;
    this.#services = services;
    this.#invalidate = invalidate;
    this.#afterConsent = afterConsent;
  }

  /**
   * Starts adding an instance with an interactive method, or renewing the consent of an existing
   * one (`{ instanceId }`, after `reauthorization_required`; its id stays the same). Keeps a
   * one-time pending authorization for 10 minutes.
   */
  async begin(input: AddInstanceInput | ReauthorizeInput): Promise<AuthorizationStart> {
    checkInput(input, 'beginAuthorization');
    let pending: Omit<PendingAuthorization, 'data' | 'expiresAt'>;
    let connector: CompiledConnector;
    let method: CompiledMethod;
    if ('instanceId' in input && input.instanceId !== undefined) {
      if (typeof input.instanceId !== 'string' || input.instanceId === '') {
        throw invalidArgument('"instanceId" must be a non-empty string');
      }
      const record = await this.#repository.record(input.instanceId);
      connector = this.#catalog.connector(record.connectorId);
      method = this.#catalog.method(connector, record.authMethodId);
      pending = {
        connectorId: record.connectorId,
        authMethodId: record.authMethodId,
        name: record.name,
        // The saved values, each entered one replacing its own.
        variables: {
          ...record.variables,
          ...checkVariables(connector, method, input.variables, { renewed: record }),
        },
        instanceId: record.id,
      };
    } else {
      const add = input as AddInstanceInput;
      connector = this.#catalog.connector(add.connectorId);
      method = this.#catalog.method(connector, add.authMethodId);
      pending = this.#newInstance(connector, method, add);
    }
    const { strategy } = method;
    if (!strategy.interactive || strategy.begin === undefined) {
      throw notInteractive(
        connector,
        method,
        'does not send the user to a consent page: add instances of it with addInstance().',
      );
    }
    const request = await strategy.begin(this.#context(connector, method, pending.variables));
    const now = this.#services.now();
    const expiresAt = now + PENDING_AUTHORIZATION_TTL_MS;
    await this.#repository.savePending(
      request.state,
      { ...pending, data: request.data, expiresAt },
      now,
    );
    return { authorizationUrl: request.authorizationUrl, state: request.state, expiresAt };
  }

  /**
   * Finishes an interactive authorization from the provider's callback. The state is taken
   * atomically: unknown, expired or reused → `AUTH_STATE_INVALID`. The strategy obtains the
   * credentials; they are saved (with the new record, or over the renewed instance's) before the
   * instance is returned.
   */
  async complete(callback: CallbackInput): Promise<Instance> {
    const params = callbackParams(callback);
    const state = params.get('state') ?? '';
    const pending = await this.#repository.takePending(state, this.#services.now());
    if (pending === undefined) throw stateInvalid(params, state);
    const connector = this.#catalog.connector(pending.connectorId);
    const method = this.#catalog.method(connector, pending.authMethodId);
    if (method.strategy.complete === undefined) {
      throw notInteractive(connector, method, 'cannot complete an authorization callback.');
    }
    const context = this.#context(connector, method, pending.variables);
    const credentials = await method.strategy.complete(context, { params, data: pending.data });
    if (pending.instanceId !== undefined) {
      return this.#renew(pending.instanceId, method, pending.variables, credentials);
    }
    return this.#create(method, pending, credentials);
  }

  /**
   * Adds an instance with a non-interactive method (or OAuth 2 with `oauth_authorised_code`): the
   * strategy checks the credentials (`authenticate`) before anything is saved.
   */
  async add(input: AddInstanceInput): Promise<Instance> {
    checkInput(input, 'addInstance');
    const connector = this.#catalog.connector(input.connectorId);
    const method = this.#catalog.method(connector, input.authMethodId);
    const instance = this.#newInstance(connector, method, input);
    if (method.strategy.authenticate === undefined) {
      throw notInteractive(
        connector,
        method,
        "needs the user's consent: add instances of it with beginAuthorization() and completeAuthorization().",
      );
    }
    const context = this.#context(connector, method, instance.variables);
    const credentials = await method.strategy.authenticate(context);
    // What authenticate spent (a one-time code) is not kept with the instance.
    const spent = method.strategy.singleUseKeys ?? [];
    const variables = Object.fromEntries(
      Object.entries(instance.variables).filter(([key]) => !spent.includes(key)),
    );
    return this.#create(method, { ...instance, variables }, credentials);
  }

  #newInstance(
    connector: CompiledConnector,
    method: CompiledMethod,
    input: AddInstanceInput,
  ): NewInstance {
    const rateLimit: RateLimit | undefined = checkRateLimit(input.rateLimit);
    return {
      connectorId: connector.definition.id,
      authMethodId: method.definition.id,
      name: checkName(input.name),
      variables: checkVariables(connector, method, input.variables),
      ...(rateLimit === undefined ? {} : { rateLimit }),
    };
  }

  #context(
    connector: CompiledConnector,
    method: CompiledMethod,
    variables: Readonly<Record<string, string>>,
  ) {
    const context = authContext(connector, method, this.#services, [variables]);
    checkRequired(connector, method, context.values);
    return context;
  }

  async #create(
    method: CompiledMethod,
    input: NewInstance,
    credentials: Credentials,
  ): Promise<Instance> {
    const at = new Date(this.#services.now()).toISOString();
    const steps = method.postAuthorization.length > 0;
    const record: InstanceRecord = {
      id: newInstanceId(),
      name: input.name,
      connectorId: input.connectorId,
      authMethodId: input.authMethodId,
      // Until its post-authorization steps are done, an instance cannot call endpoints.
      status: steps ? 'pending_choice' : 'active',
      variables: input.variables,
      ...(credentials.captured === undefined ? {} : { captured: credentials.captured }),
      ...(input.rateLimit === undefined ? {} : { rateLimit: input.rateLimit }),
      createdAt: at,
      updatedAt: at,
    };
    try {
      // Saved before the post-authorization steps use the credentials.
      await this.#repository.create(record, credentials);
    } catch (error) {
      // Credentials without a record belong to no instance: remove them if they landed.
      if (SpliceError.is(error, 'STORE_UNAVAILABLE'))
        await this.#repository.delete(record.id).catch(() => undefined);
      throw this.#notSaved(error, record.id, input.connectorId, input.authMethodId, 'new');
    }
    const done =
      steps && this.#afterConsent !== undefined ? await this.#afterConsent(record.id) : record;
    return toInstance(done, method.secretKeys);
  }

  /**
   * The provider issued credentials but the store would not take them (after the retries of
   * `SAVE_RETRY`): a loud `STORE_UNAVAILABLE` naming what happened and what to do, and an error
   * log line, never a silent loss. The credentials are not kept anywhere else (no place but the
   * store is safe for them); the user authorizes again once the store is back.
   */
  #notSaved(
    error: unknown,
    instanceId: string,
    connectorId: string,
    authMethodId: string,
    what: 'new' | 'renewed' | 'renewed, record not updated',
  ): unknown {
    if (!SpliceError.is(error, 'STORE_UNAVAILABLE')) return error;
    const details = { connectorId, authMethodId, instanceId };
    this.#services.logger.error(
      'splice: the provider issued credentials but the store could not save them',
      { ...details, what },
    );
    return new SpliceError(
      'STORE_UNAVAILABLE',
      what === 'renewed, record not updated'
        ? `The provider issued credentials for instance "${instanceId}" of connector "${connectorId}" and they were saved, but the store could not update the instance's record after retrying: it keeps its previous status. Check the store, then run beginAuthorization again.`
        : `The provider issued credentials for ${what === 'new' ? 'a new instance' : `instance "${instanceId}"`} of connector "${connectorId}", but the store could not save them after retrying: they were not kept${what === 'new' ? ' and no instance was added' : ' and the instance keeps its previous credentials and status'}. Check the store, then run beginAuthorization again.`,
      { cause: error, details },
    );
  }

  async #renew(
    instanceId: string,
    method: CompiledMethod,
    variables: Readonly<Record<string, string>>,
    credentials: Credentials,
  ): Promise<Instance> {
    // The record must still exist before anything is written for it.
    const { connectorId } = await this.#repository.record(instanceId);
    const steps = method.postAuthorization.length > 0;
    let record: InstanceRecord | undefined;
    let saved = false;
    try {
      await this.#repository.replaceCredentials(instanceId, credentials);
      saved = true;
      record = await this.#repository.transition(instanceId, (current) => {
        const { pendingChoice: _, captured, ...rest } = current;
        // The new consent's captured values replace the old ones of the same key.
        const merged = { ...captured, ...credentials.captured };
        return {
          ...rest,
          variables,
          ...(Object.keys(merged).length === 0 ? {} : { captured: merged }),
          status: steps ? 'pending_choice' : 'active',
          updatedAt: new Date(this.#services.now()).toISOString(),
        };
      });
    } catch (error) {
      throw this.#notSaved(
        error,
        instanceId,
        connectorId,
        method.definition.id,
        saved ? 'renewed, record not updated' : 'renewed',
      );
    } finally {
      // Whatever landed, no process may keep serving what it cached before.
      await this.#invalidate(instanceId, method);
    }
    const done =
      steps && this.#afterConsent !== undefined ? await this.#afterConsent(instanceId) : record!;
    return toInstance(done, method.secretKeys);
  }
}
