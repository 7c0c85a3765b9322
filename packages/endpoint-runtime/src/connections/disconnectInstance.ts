import { type Instance, SpliceError } from '@splice/core';
import { instanceIdOf } from './instanceIdOf.js';
import { toInstance } from './toInstance.js';
import type { UpdateParts } from './updateInstance.js';

/**
 * Disconnects an instance of an interactive method: its stored credentials are deleted (so no
 * process can use or refresh them again), the record is marked `reauthorization_required` with
 * compare-and-set — name, values and id kept — and this process's caches are dropped. A new
 * consent (`beginAuthorization({ instanceId })`) connects it again. The provider is not called:
 * a token it issued stays valid there until it expires or is revoked in the provider's console.
 * No `reauthorizationRequired` event fires: the user asked for it. A non-interactive method's
 * credentials are its variables: `AUTH_NOT_INTERACTIVE` (delete the instance instead).
 *
 * @example
 * ```ts
 * const instance = await disconnectInstance(parts, instanceId); // status 'reauthorization_required'
 * ```
 */
export async function disconnectInstance(
  parts: UpdateParts,
  instanceOrId: Instance | string,
): Promise<Instance> {
  const id = instanceIdOf(instanceOrId);
  const { catalog, repository } = parts;
  const first = await repository.record(id);
  const connector = catalog.connector(first.connectorId);
  const method = catalog.method(connector, first.authMethodId);
  if (!method.strategy.interactive) {
    throw new SpliceError(
      'AUTH_NOT_INTERACTIVE',
      `Instance "${id}" uses auth method "${method.definition.id}" (type "${method.strategy.type}"), whose credentials are the values entered for it: it cannot be disconnected and connected again with a consent. Delete it, or change its values with updateInstance().`,
      {
        details: {
          connectorId: connector.definition.id,
          authMethodId: method.definition.id,
          instanceId: id,
        },
      },
    );
  }
  // Status first (retried like every transition), then this process's caches: if deleting the
  // credentials then fails, the instance is already refused (here at once, elsewhere as their
  // sessions reload) and a new consent replaces them; the other order could leave an `active`
  // instance with no credentials, or this process calling with the credentials it kept.
  const written = await repository.transition(id, (current) =>
    current.status === 'reauthorization_required'
      ? undefined
      : {
          ...current,
          status: 'reauthorization_required',
          updatedAt: new Date(parts.services.now()).toISOString(),
        },
  );
  await parts.drop(id, method);
  await repository.deleteCredentials(id);
  return toInstance(written ?? (await repository.record(id)), method.secretKeys);
}
