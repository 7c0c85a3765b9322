// One process of the cross-process refresh storm: opens the shared Redis store, makes `calls`
// concurrent calls on an instance whose access token its clock sees as expired, and reports.
import { RedisStore } from '@splice/store-redis';
import { benchConnector, benchRuntime } from './fixtures.js';

interface Job {
  readonly tokenUrl: string;
  readonly authorizationUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiOrigin: string;
  readonly prefix: string;
  readonly instanceId: string;
  readonly calls: number;
  readonly clockOffsetMs: number;
}

process.once('message', async (job: Job) => {
  const connector = benchConnector(job, job.apiOrigin);
  const store = new RedisStore({ prefix: job.prefix, encryption: false });
  const runtime = benchRuntime(connector, store, () => Date.now() + job.clockOffsetMs);
  process.send?.({ ready: true });
  process.once('message', async () => {
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: job.calls }, () => runtime.callEndpoint(job.instanceId, 'list-orders')),
    );
    const ms = performance.now() - started;
    const failed = results.filter((r) => r.status === 'rejected');
    const firstError = failed[0]?.status === 'rejected' ? String(failed[0].reason) : undefined;
    await runtime.close();
    await store.close();
    process.send?.({ ok: results.length - failed.length, failed: failed.length, ms, firstError });
    process.disconnect();
  });
});
