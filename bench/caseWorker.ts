// One benchmark case in a process of its own, so that no other client's code, JIT state or heap
// shares its measurements. The parent (bench/run.ts) sends one job and receives one answer:
// - `path`: warm up, then sequential and concurrent runs with the client CPU they used;
// - `storm`: 1,000 concurrent calls on an expired token, after the parent says go;
// - `heap`: heap per instance with a cached token after the first call (run with --expose-gc).
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OAuth2Client, OAuth2Fetch, type OAuth2Token } from '@badgateway/oauth2-client';
import { MemoryStore } from '@splice/core';
import { SqliteStore } from '@splice/store-sqlite';
import axios from 'axios';
import { createAuthRefresh } from 'axios-auth-refresh';
import { AuthorizationCode } from 'simple-oauth2';
import { addBenchInstanceWithCode, benchConnector, benchRuntime } from './fixtures.js';
import { type Call, concurrent, type RunResult, sequential } from './measure.js';
import { type BenchTarget, type CaseName, createClient } from './peers.js';

export type Job =
  | {
      readonly mode: 'path';
      readonly name: CaseName;
      readonly target: BenchTarget;
      readonly code: string;
      readonly sequential: number;
      readonly concurrent: number;
      readonly concurrency: number;
    }
  | {
      readonly mode: 'storm';
      readonly name: CaseName;
      readonly target: BenchTarget;
      readonly code: string;
      readonly calls: number;
    }
  | {
      readonly mode: 'heap';
      readonly name: CaseName;
      readonly target: BenchTarget;
      /** The first `warmUp` codes are for the warm-up client, the rest for the measured one. */
      readonly codes: readonly string[];
      readonly warmUp: number;
      /** Splice's store: the default `MemoryStore`, or a `SqliteStore` file (records off the heap). */
      readonly store?: HeapStore;
    };

/** A run with the client CPU (user + system, `process.cpuUsage()`) per call over its window. */
export interface CpuRun extends RunResult {
  readonly cpuUsPerCall: number;
}

export interface PathAnswer {
  readonly sequential: CpuRun;
  readonly concurrent: CpuRun;
}

export interface StormAnswer {
  readonly ok: number;
  readonly failed: number;
  readonly ms: number;
  readonly firstError?: string;
}

export type HeapStore = 'MemoryStore' | 'SqliteStore';

export interface HeapAnswer {
  readonly instances: number;
  readonly bytesPerInstance: number;
}

async function withCpu(run: () => Promise<RunResult>): Promise<CpuRun> {
  const cpu = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(cpu);
  return { ...result, cpuUsPerCall: (used.user + used.system) / result.requests };
}

async function path(job: Extract<Job, { mode: 'path' }>): Promise<PathAnswer> {
  const client = await createClient(job.name, job.target, { code: job.code }, job.concurrency);
  const call: Call = () => client.call();
  await concurrent(call, 2_000, job.concurrency); // connections, JIT, token cache
  await sequential(call, 500);
  const seq = await withCpu(() => sequential(call, job.sequential));
  const conc = await withCpu(() => concurrent(call, job.concurrent, job.concurrency));
  await client.close();
  return { sequential: seq, concurrent: conc };
}

async function storm(job: Extract<Job, { mode: 'storm' }>): Promise<StormAnswer> {
  const client = await createClient(job.name, job.target, { code: job.code, expired: true }, 64);
  process.send?.({ ready: true });
  await new Promise((resolve) => process.once('message', resolve));
  const started = performance.now();
  const results = await Promise.allSettled(Array.from({ length: job.calls }, () => client.call()));
  const ms = performance.now() - started;
  await client.close();
  const failed = results.filter((r) => r.status === 'rejected');
  return {
    ok: results.length - failed.length,
    failed: failed.length,
    ms,
    ...(failed[0]?.status === 'rejected' ? { firstError: String(failed[0].reason) } : {}),
  };
}

/** Per-instance state as each client keeps it: what an engine holding N users' clients holds. */
function instanceFactory(
  name: CaseName,
  target: BenchTarget,
  storeKind: HeapStore = 'MemoryStore',
): { add(code: string, i: number): Promise<unknown>; close?(): Promise<void> } {
  const url = `${target.apiOrigin}/orders`;
  // Flat strings of a real token's length, as a provider's JSON answer gives them (randomUUID()'s
  // text is a ~480-byte rope of cons strings, which would inflate the peers' figures).
  const token = (): string => randomBytes(24).toString('base64url');
  const fakeToken = () => ({ access: token(), refresh: token() });
  switch (name) {
    case 'splice callEndpoint': {
      const file = join(
        tmpdir(),
        `splice-bench-heap-${process.pid}-${randomBytes(4).toString('hex')}.db`,
      );
      const store =
        storeKind === 'SqliteStore'
          ? new SqliteStore({ path: file, encryption: false })
          : new MemoryStore();
      const runtime = benchRuntime(benchConnector(target, target.apiOrigin), store);
      return {
        async add(code, i) {
          const id = await addBenchInstanceWithCode(runtime, code, `i${i}`);
          await runtime.callEndpoint(id, 'list-orders');
          return id;
        },
        async close() {
          await runtime.close();
          await store.close();
          if (storeKind === 'SqliteStore') {
            for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
          }
        },
      };
    }
    case 'OAuth2Fetch (@badgateway/oauth2-client)': {
      const client = new OAuth2Client({
        server: new URL(target.tokenUrl).origin,
        tokenEndpoint: target.tokenUrl,
        clientId: target.clientId,
        clientSecret: target.clientSecret,
      });
      return {
        async add() {
          const t = fakeToken();
          let token: OAuth2Token = {
            accessToken: t.access,
            refreshToken: t.refresh,
            expiresAt: Date.now() + 3_600_000,
          };
          const wrapper = new OAuth2Fetch({
            client,
            getNewToken: () => null,
            getStoredToken: () => token,
            storeToken: (next) => {
              token = next;
            },
            scheduleRefresh: false,
          });
          await (await wrapper.fetch(url)).json();
          return wrapper;
        },
      };
    }
    case 'axios + axios-auth-refresh':
      return {
        async add() {
          const t = fakeToken();
          let accessToken = t.access;
          let refreshToken = t.refresh;
          const api = axios.create();
          api.interceptors.request.use((config) => {
            config.headers.Authorization = `Bearer ${accessToken}`;
            return config;
          });
          // axios ships separate CJS and ESM type trees; axios-auth-refresh's types name the CJS one.
          createAuthRefresh(api as never, async () => {
            const res = await axios.post(target.tokenUrl, { refresh_token: refreshToken });
            accessToken = res.data.access_token;
            refreshToken = res.data.refresh_token;
          });
          await api.get(url);
          return api;
        },
      };
    case 'simple-oauth2 + fetch': {
      const client = new AuthorizationCode({
        client: { id: target.clientId, secret: target.clientSecret },
        auth: { tokenHost: new URL(target.tokenUrl).origin },
      });
      return {
        async add() {
          const t = fakeToken();
          const accessToken = client.createToken({
            access_token: t.access,
            refresh_token: t.refresh,
            token_type: 'Bearer',
            expires_in: 3600,
          });
          const res = await fetch(url, {
            headers: { authorization: `Bearer ${accessToken.token.access_token}` },
          });
          await res.json();
          return accessToken;
        },
      };
    }
    default:
      throw new Error(`no heap case for ${name}`);
  }
}

async function heap(job: Extract<Job, { mode: 'heap' }>): Promise<HeapAnswer> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const warmCodes = job.codes.slice(0, job.warmUp);
  const [warm, ...codes] = job.codes.slice(job.warmUp);
  // Warm-up on a client of its own, thrown away: the code V8 compiles for the add-and-call path
  // is paid once per process, not per instance, and the measured client starts empty (its
  // session cache included).
  const warmUp = instanceFactory(job.name, job.target, job.store);
  for (const [i, code] of warmCodes.entries()) await warmUp.add(code, -2 - i);
  await warmUp.close?.();
  const factory = instanceFactory(job.name, job.target, job.store);
  const kept: unknown[] = [await factory.add(warm!, -1)];
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < codes.length; i += 100) {
    const batch = codes.slice(i, i + 100);
    kept.push(...(await Promise.all(batch.map((code, j) => factory.add(code, i + j)))));
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept.length !== codes.length + 1) throw new Error(`kept ${kept.length} instances`);
  // Used after the measure, so that no engine optimisation may collect the client before it.
  await factory.close?.();
  return { instances: codes.length, bytesPerInstance: Math.round((after - before) / codes.length) };
}

process.once('message', async (job: Job) => {
  try {
    const answer =
      job.mode === 'path'
        ? await path(job)
        : job.mode === 'storm'
          ? await storm(job)
          : await heap(job);
    process.send?.(answer);
  } catch (error) {
    process.send?.({
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
  process.disconnect();
  process.exit(0);
});
