import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** One stored oidc-provider model payload (a grant, token, session, interaction...). */
type Payload = Record<string, unknown> & {
  grantId?: string;
  uid?: string;
  userCode?: string;
  consumed?: number;
};

interface Entry {
  payload: Payload;
  /** Epoch milliseconds; absent for models without expiry. */
  expiresAt?: number;
}

/** The adapter interface oidc-provider calls, one instance per model name. */
export interface ProviderModelAdapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** The adapter factory oidc-provider takes, plus a way to drop every record of a model. */
export interface ProviderAdapter {
  (model: string): ProviderModelAdapter;
  /** Deletes every stored record of `model` (e.g. `AccessToken`); returns how many. */
  destroyAll(model: string): number;
}

/**
 * The storage of {@link startAuthorizationServer}'s oidc-provider: every model (grants, codes,
 * access and refresh tokens, sessions, interactions) in one map, written through to `file` on
 * each change when a file is given. With a file, a restarted server finds the grants and refresh
 * tokens it issued before, so a client that stored them can still refresh; without one it lives
 * in memory like oidc-provider's own default. Either way `destroyAll('AccessToken')` can revoke
 * every access token at once, including ones a previous run issued.
 *
 * Meant for one process and a handful of records (tests, the demo), not for production.
 *
 * @example
 * ```ts
 * const adapter = createProviderAdapter('.splice/authorization-server-data.json');
 * new Provider(issuer, { adapter, ...configuration });
 * adapter.destroyAll('AccessToken');
 * ```
 */
export function createProviderAdapter(file?: string): ProviderAdapter {
  const entries = new Map<string, Entry>(
    file !== undefined && existsSync(file)
      ? Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Entry>)
      : [],
  );
  const save = (): void => {
    if (file === undefined) return;
    const now = Date.now();
    for (const [key, entry] of entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) entries.delete(key);
    }
    // Write and rename so a crash mid-write never leaves a torn file behind; mode 0600 because
    // the file holds live tokens.
    writeFileSync(`${file}.tmp`, JSON.stringify(Object.fromEntries(entries)), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  const read = (key: string): Payload | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry.payload;
  };
  const adapter = (model: string): ProviderModelAdapter => {
    const key = (id: string): string => `${model}:${id}`;
    const findBy = (field: 'uid' | 'userCode', value: string): Payload | undefined => {
      for (const [stored] of entries) {
        if (!stored.startsWith(`${model}:`)) continue;
        const payload = read(stored);
        if (payload?.[field] === value) return payload;
      }
      return undefined;
    };
    return {
      async upsert(id, payload, expiresIn) {
        entries.set(key(id), {
          payload,
          ...(typeof expiresIn === 'number' ? { expiresAt: Date.now() + expiresIn * 1000 } : {}),
        });
        save();
      },
      async find(id) {
        return read(key(id));
      },
      async findByUid(uid) {
        return findBy('uid', uid);
      },
      async findByUserCode(userCode) {
        return findBy('userCode', userCode);
      },
      async consume(id) {
        const payload = read(key(id));
        if (payload === undefined) return;
        payload.consumed = Math.floor(Date.now() / 1000);
        save();
      },
      async destroy(id) {
        entries.delete(key(id));
        save();
      },
      async revokeByGrantId(grantId) {
        // Revocation spans models (access, refresh tokens and codes of one grant).
        for (const [stored, entry] of entries) {
          if (entry.payload.grantId === grantId) entries.delete(stored);
        }
        save();
      },
    };
  };
  return Object.assign(adapter, {
    destroyAll(model: string): number {
      let destroyed = 0;
      for (const stored of [...entries.keys()]) {
        if (!stored.startsWith(`${model}:`)) continue;
        entries.delete(stored);
        destroyed += 1;
      }
      save();
      return destroyed;
    },
  });
}
