import {
  type Credentials,
  type Instance,
  type InstanceRecord,
  invalidArgument,
  type RateLimit,
  resolveValues,
  SpliceError,
} from '@splice/core';
import type { AuthServices } from '../catalog/AuthServices.js';
import { authContext } from '../catalog/authContext.js';
import type { CompiledConnector, CompiledMethod } from '../catalog/CompiledConnector.js';
import type { ConnectorCatalog } from '../catalog/ConnectorCatalog.js';
import type { InstanceChanges } from '../RuntimeOptions.js';
import { checkName } from './checkName.js';
import { checkRateLimit } from './checkRateLimit.js';
import { checkRequired } from './checkRequired.js';
import { checkVariables } from './checkVariables.js';
import type { InstanceRepository } from './InstanceRepository.js';
import { instanceIdOf } from './instanceIdOf.js';
import { readOnlyKeys } from './readOnlyKeys.js';
import { toInstance } from './toInstance.js';

/**
 * What `updateInstance` works with: the runtime's catalog and repository, the clock, and a way
 * to drop what this process keeps loaded for the instance (its session: context, limiter).
 *
 * @example
 * ```ts
 * const parts: UpdateParts = { catalog, repository, services, drop: (id) => sessions.drop(id) };
 * ```
 */
export interface UpdateParts {
  readonly catalog: ConnectorCatalog;
  readonly repository: InstanceRepository;
  readonly services: AuthServices;
  /** Drops what this process keeps for the instance: the strategy's cache and the session. */
  readonly drop: (instanceId: string, method: CompiledMethod) => Promise<void>;
  /** Runs the post-authorization steps of an instance (`PostAuthorization.run`). */
  readonly rerun: (instanceId: string) => Promise<InstanceRecord>;
}

const FIELDS: ReadonlySet<string> = new Set([
  'name',
  'variables',
  'rateLimit',
  'rerunPostAuthorization',
]);

function checkChanges(changes: unknown): InstanceChanges {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) {
    throw invalidArgument(
      '"changes" of updateInstance must be an object: { name?, variables?, rateLimit?, rerunPostAuthorization? }',
    );
  }
  const unknown = Object.keys(changes).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) {
    throw invalidArgument(
      `"changes" of updateInstance has ${unknown.map((key) => `"${key}"`).join(', ')}; it may hold only "name", "variables", "rateLimit" and "rerunPostAuthorization"`,
    );
  }
  const rerun = (changes as InstanceChanges).rerunPostAuthorization;
  if (rerun !== undefined && typeof rerun !== 'boolean') {
    throw invalidArgument('"changes.rerunPostAuthorization" of updateInstance must be a boolean');
  }
  return changes as InstanceChanges;
}

function readOnly(
  connector: CompiledConnector,
  method: CompiledMethod,
  record: InstanceRecord,
  keys: readonly string[],
): SpliceError {
  return new SpliceError(
    'VARIABLE_INVALID',
    `Instance "${record.id}": ${keys.map((key) => `"${key}"`).join(', ')} cannot be changed after the instance was added (not configurable in auth method "${method.definition.id}" of connector "${connector.definition.id}", or used in a URL's host: it chooses where the instance's credentials go). Add a new instance to use another value.`,
    {
      details: {
        connectorId: connector.definition.id,
        authMethodId: method.definition.id,
        instanceId: record.id,
        key: keys[0]!,
        readOnly: keys,
      },
    },
  );
}

/**
 * Changes an instance's name, configurable variable values and rate limit — checked like
 * creation: the name non-empty, every variable key declared by the method (`VARIABLE_INVALID`),
 * every required value still present after the change (`VARIABLE_MISSING`), the rate limit
 * `{ amount, unit }` or `null` to fall back to the connector's (`INVALID_ARGUMENT`). A value for
 * a variable that is not `configurable` is refused with `VARIABLE_INVALID` naming the key
 * (`details.readOnly`), unless it equals the saved one. For a non-interactive method, changed
 * values are checked by the strategy (`authenticate`, e.g. a token checked at its test URL:
 * `CREDENTIALS_INVALID`) and its new credentials saved first; an interactive method's credentials
 * are untouched. The record is written with compare-and-set (a concurrent status change is kept).
 * This process's strategy cache and loaded session are dropped, so the next call uses the new
 * values and limit.
 * With `rerunPostAuthorization: true` the method's post-authorization steps run again afterwards
 * (their errors are thrown as they are; a step offering several choices leaves it in
 * `pending_choice`). Captured values are not variables: `variables` naming one is
 * `VARIABLE_INVALID`.
 *
 * @example
 * ```ts
 * await updateInstance(parts, instance, { name: 'Acme EU (prod)', rateLimit: { amount: 5, unit: 'second' } });
 * ```
 */
export async function updateInstance(
  parts: UpdateParts,
  instanceOrId: Instance | string,
  changes: InstanceChanges,
): Promise<Instance> {
  const id = instanceIdOf(instanceOrId);
  const checked = checkChanges(changes);
  const name = checked.name === undefined ? undefined : checkName(checked.name);
  const rateLimit: RateLimit | null | undefined =
    checked.rateLimit === null ? null : checkRateLimit(checked.rateLimit);
  const { catalog, repository } = parts;
  const first = await repository.record(id);
  const connector = catalog.connector(first.connectorId);
  const method = catalog.method(connector, first.authMethodId);
  const locked = readOnlyKeys(method);
  const variables = checkVariables(connector, method, checked.variables, { fixed: locked });
  // Judged against the record being replaced, so a concurrent writer's values count.
  const merge = (current: InstanceRecord): Record<string, string> => {
    const refused = Object.keys(variables).filter(
      (key) => locked.has(key) && variables[key] !== current.variables[key],
    );
    if (refused.length > 0) throw readOnly(connector, method, current, refused);
    const next = { ...current.variables, ...variables };
    checkRequired(connector, method, resolveValues(method.variables, next));
    return next;
  };
  const merged = merge(first);

  // A non-interactive method's credentials are made from its variables (a token, a Basic pair):
  // new values are checked by the strategy, as when the instance was added, and the credentials
  // they give are saved before the record names them. An interactive method's credentials come
  // from the provider: a changed client secret is used at the next token request.
  const { strategy } = method;
  const changed = Object.keys(variables).some((key) => variables[key] !== first.variables[key]);
  let previous: Credentials | undefined;
  if (changed && !strategy.interactive && strategy.authenticate !== undefined) {
    const context = authContext(connector, method, parts.services, [merged]);
    const next = await strategy.authenticate(context);
    previous = await repository.credentials(id);
    await repository.replaceCredentials(id, next);
  }

  let written: InstanceRecord | undefined;
  try {
    written = await repository.transition(id, (current) => {
      const nextVariables = merge(current);
      const { rateLimit: previousLimit, ...rest } = current;
      const nextLimit = rateLimit === undefined ? previousLimit : (rateLimit ?? undefined);
      return {
        ...rest,
        name: name ?? current.name,
        variables: nextVariables,
        ...(nextLimit === undefined ? {} : { rateLimit: nextLimit }),
        updatedAt: new Date(parts.services.now()).toISOString(),
      };
    });
  } catch (error) {
    // The record refused the change (another writer got there first): the credentials made
    // from the refused values must not stay.
    if (previous !== undefined) await repository.replaceCredentials(id, previous);
    throw error;
  }
  await parts.drop(id, method);
  // The steps run after the changes are saved, so they render with the new values; their
  // captured values go through their own compare-and-set writes.
  const done = checked.rerunPostAuthorization === true ? await parts.rerun(id) : written!;
  return toInstance(done, method.secretKeys);
}
