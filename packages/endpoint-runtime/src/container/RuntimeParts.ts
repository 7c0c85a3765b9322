import type { Store } from '@splice/core';
import type { Dispatcher } from 'undici';
import type { ReauthorizationHook } from '../calls/callEndpoint.js';
import type { Sessions } from '../calls/Sessions.js';
import type { AuthServices } from '../catalog/AuthServices.js';
import type { ConnectorCatalog } from '../catalog/ConnectorCatalog.js';
import type { Authorizer } from '../connections/Authorizer.js';
import type { InstanceRepository } from '../connections/InstanceRepository.js';
import type { PostAuthorization } from '../connections/PostAuthorization.js';
import type { RuntimeEventEmitter } from '../events/RuntimeEvents.js';
import type { EndpointTelemetry } from '../telemetry/EndpointTelemetry.js';
import type { RuntimeSettings } from './RuntimeSettings.js';

/**
 * The parts the container assembles a runtime from (`runtimeModule`); the `Runtime` facade
 * delegates to them.
 *
 * @example
 * ```ts
 * new Runtime({ catalog, repository, authorizer, sessions, events, telemetry, store, services, dispatcher, settings });
 * ```
 */
export interface RuntimeParts {
  readonly catalog: ConnectorCatalog;
  readonly repository: InstanceRepository;
  readonly authorizer: Authorizer;
  readonly sessions: Sessions;
  /** The post-authorization steps: run after consent, choices recorded. */
  readonly postAuthorization: PostAuthorization;
  readonly events: RuntimeEventEmitter;
  readonly telemetry: EndpointTelemetry;
  readonly store: Store;
  /** The clock, logger and store strategies get; `updateInstance` and `credentialStatus` use them. */
  readonly services: AuthServices;
  readonly dispatcher: Dispatcher;
  readonly settings: RuntimeSettings;
  /** What a dead grant does to the instance: status change, event. */
  readonly reauthorizationRequired: ReauthorizationHook;
}
