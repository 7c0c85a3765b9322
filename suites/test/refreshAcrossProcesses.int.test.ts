import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Credentials, type JsonObject, type Store, storeKeys } from '@splice/core';
import { oauth2AuthorizationCode } from '@splice/oauth2-authcode';
import { RedisStore } from '@splice/store-redis';
import { SqliteStore } from '@splice/store-sqlite';
import {
  checkRedis,
  createStrategyHarness,
  type ProviderSimulator,
  startProviderSimulator,
} from '@splice/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthConnector } from './support/connector.js';

const CALLBACK = 'http://127.0.0.1:1/oauth/callback';

const worker = fileURLToPath(new URL('./fixtures/refreshWorker.ts', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const PROCESSES = 3;
const CALLS = 50;

type Reply =
  | { type: 'ready' }
  | { type: 'done'; tokens: string[] }
  | { type: 'failed'; code: string };

function next(child: ChildProcess, type: Reply['type']): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Reply): void => {
      if (message.type === type || message.type === 'failed') {
        child.off('message', onMessage);
        resolve(message);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before "${type}"`)));
  });
}

let sim: ProviderSimulator;
const dir = mkdtempSync(join(tmpdir(), 'splice-oauth-mp-'));
const redis = await checkRedis();

beforeAll(async () => {
  // Slow enough that every process is inside getCredentials while the one refresh is in flight.
  sim = await startProviderSimulator({ redirectUris: [CALLBACK], quirks: { tokenLatencyMs: 300 } });
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function race(store: Store, storeJob: object): Promise<void> {
  const connector = oauthConnector(oauth2AuthorizationCode(), {
    authorise: sim.authorizationUrl,
    token: sim.tokenUrl,
    api: sim.apiUrl,
  });
  const values = { client_id: sim.clientId, client_secret: sim.clientSecret };
  const harness = createStrategyHarness({
    strategy: oauth2AuthorizationCode(),
    connector,
    values,
    store,
    callbackUrl: CALLBACK,
  });
  const { instance, credentials } = await harness.authorize();
  // Expired for everyone: every process must refresh before use.
  const expired: Credentials = { ...credentials, expiresAt: Date.now() - 1000 };
  await store.set(storeKeys.credentials(instance.id), expired as unknown as JsonObject);
  sim.resetCounts();

  const job = JSON.stringify({ store: storeJob, connector, instance, values, calls: CALLS });
  const children = Array.from({ length: PROCESSES }, () =>
    spawn(process.execPath, ['--conditions=@splice/source', '--import', 'tsx', worker, job], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
  try {
    await Promise.all(children.map((child) => next(child, 'ready')));
    const done = children.map((child) => next(child, 'done'));
    for (const child of children) child.send({ type: 'go' });
    const replies = await Promise.all(done);
    const tokens = new Set<string>();
    for (const reply of replies) {
      expect(reply.type).toBe('done');
      if (reply.type === 'done') for (const token of reply.tokens) tokens.add(token);
    }
    expect(sim.counts.refreshToken).toBe(1);
    expect(sim.counts.token).toBe(1);
    expect(sim.counts.invalidGrant).toBe(0);
    expect(tokens.size).toBe(1);
    const stored = await store.get(storeKeys.credentials(instance.id));
    expect((stored?.value as unknown as Credentials | undefined)?.values['access_token']).toBe(
      [...tokens][0],
    );
    expect([...tokens][0]).not.toBe(credentials.values['access_token']);
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill();
  }
}

describe('refresh across processes', () => {
  it(`refreshes once for ${PROCESSES} processes × ${CALLS} callers sharing a SQLite store`, async () => {
    const path = join(dir, 'splice.db');
    const store = new SqliteStore({ path, encryption: false });
    try {
      await race(store, { kind: 'sqlite', path });
    } finally {
      await store.close();
    }
  }, 120_000);

  it.skipIf(!redis.available)(
    `refreshes once for ${PROCESSES} processes × ${CALLS} callers sharing a Redis store${redis.reason}`,
    async () => {
      const prefix = `splice-test:${randomUUID()}:`;
      const store = new RedisStore({
        clientOptions: 'redis://127.0.0.1:6379',
        prefix,
        encryption: false,
      });
      try {
        await race(store, { kind: 'redis', prefix });
        for (const key of await store.keys('')) await store.delete(key);
      } finally {
        await store.close();
      }
    },
    120_000,
  );
});
