import {
  type Credentials,
  type InstanceContext,
  type JsonObject,
  SpliceError,
  storeKeys,
} from '@splice/core';

/** What a strategy whose credentials never expire keeps per instance. */
export interface CredentialKeeper {
  /** The instance's credentials: from memory, else read once from the store. */
  getCredentials(ctx: InstanceContext): Promise<Credentials>;
  /**
   * Drops what is kept for an instance (after delete or re-authorization, and as the strategy's
   * `release` when the runtime unloads it): read again from the store on its next call.
   */
  forget(instanceId: string): void;
}

function isCredentials(value: unknown): value is Credentials {
  if (typeof value !== 'object' || value === null) return false;
  const { values, obtainedAt } = value as { values?: unknown; obtainedAt?: unknown };
  return (
    typeof obtainedAt === 'number' &&
    typeof values === 'object' &&
    values !== null &&
    Object.values(values).every((v) => typeof v === 'string')
  );
}

/**
 * Keeps the credentials of instances whose credentials do not expire (a token, a Basic pair,
 * OAuth 1 token credentials): the first `getCredentials` of an instance reads
 * `storeKeys.credentials(id)` — what the runtime saved after `authenticate` or `complete` — and
 * later ones answer from memory with no I/O, the same object each time (so the runtime reuses
 * the requests it rendered for it). No stored credentials: `missing` (`CREDENTIALS_INVALID` for
 * strategies an instance cannot be re-authorized with, `REAUTHORIZATION_REQUIRED` for the
 * interactive ones); stored credentials of another shape: `CREDENTIALS_INVALID`.
 *
 * @example
 * ```ts
 * const keeper = createCredentialKeeper('token', 'CREDENTIALS_INVALID');
 * const credentials = await keeper.getCredentials(ctx);
 * ```
 */
export function createCredentialKeeper(
  type: string,
  missing: 'CREDENTIALS_INVALID' | 'REAUTHORIZATION_REQUIRED',
): CredentialKeeper {
  const kept = new Map<string, Credentials>();
  return {
    async getCredentials(ctx) {
      const cached = kept.get(ctx.instance.id);
      if (cached !== undefined) return cached;
      const details = {
        connectorId: ctx.connector.id,
        authMethodId: ctx.method.id,
        instanceId: ctx.instance.id,
      };
      const entry = await ctx.store.get<JsonObject>(storeKeys.credentials(ctx.instance.id));
      if (entry === undefined) {
        throw new SpliceError(
          missing,
          `Instance "${ctx.instance.id}" has no stored ${type} credentials: ${missing === 'REAUTHORIZATION_REQUIRED' ? 'authorize it again with beginAuthorization({ instanceId })' : 'delete it and add it again'}.`,
          { details },
        );
      }
      if (!isCredentials(entry.value)) {
        throw new SpliceError(
          'CREDENTIALS_INVALID',
          `The stored credentials of instance "${ctx.instance.id}" are not ${type} credentials: delete the instance and add it again.`,
          { details },
        );
      }
      kept.set(ctx.instance.id, entry.value);
      return entry.value;
    },
    forget(instanceId) {
      kept.delete(instanceId);
    },
  };
}
