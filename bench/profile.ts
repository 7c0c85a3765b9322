// `pnpm bench:profile [case]`: runs one request-path case of `pnpm bench` (default Splice) with
// 64 calls in flight under the V8 CPU profiler (node:inspector, the measured window only) and
// prints where the client's CPU goes, by package: self time of the samples grouped by the file
// they ran in. The .cpuprofile is written to bench/profiles/ (open it in Chrome DevTools).
// Used for bench/ANALYSIS.md.
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { fileURLToPath } from 'node:url';
import { startProviderSimulator } from '@splice/testkit';
import { REDIRECT_URI } from './fixtures.js';
import { concurrent } from './measure.js';
import { CASE_NAMES, type CaseName, createClient } from './peers.js';

const here = (file: string): string => fileURLToPath(new URL(file, import.meta.url));

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly url: string; readonly functionName: string };
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

function bucket(url: string, functionName: string): string {
  if (url === '')
    return functionName === '(garbage collector)' ? '(gc)' : `(${functionName || 'native'})`;
  const pkg = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg !== null) return pkg[1]!;
  const own = /\/packages\/([^/]+)\//.exec(url);
  if (own !== null) return `@splice/${own[1]}`;
  if (url.startsWith('node:'))
    return url.split('/')[0]!.replace(/^node:internal.*/, 'node internals');
  return url.includes('/bench/') ? 'bench harness' : url;
}

/** Self time by package of the profile `path`, largest first, in percent. */
export function summarise(path: string): Array<[string, number]> {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    const key = bucket(node.callFrame.url, node.callFrame.functionName);
    const dt = profile.timeDeltas[i] ?? 0;
    totals.set(key, (totals.get(key) ?? 0) + dt);
    all += dt;
  });
  return [...totals]
    .map(([k, v]): [string, number] => [k, (100 * v) / all])
    .sort((a, b) => b[1] - a[1]);
}

if (process.argv[2] === '--child') {
  const [, , , name, apiOrigin, out] = process.argv;
  const provider = await startProviderSimulator();
  const target = {
    apiOrigin: apiOrigin!,
    tokenUrl: provider.tokenUrl,
    authorizationUrl: provider.authorizationUrl,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
  };
  const client = await createClient(
    name as CaseName,
    target,
    { code: provider.issueCode(REDIRECT_URI) },
    64,
  );
  await concurrent(() => client.call(), 5_000, 64); // warm: connections, JIT, token cache
  // Only the measured window is profiled (not start-up, the simulator or the warm-up).
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 100 });
  await post('Profiler.start');
  await concurrent(() => client.call(), 40_000, 64);
  const { profile } = (await post('Profiler.stop')) as { profile: CpuProfile };
  writeFileSync(out!, JSON.stringify(profile));
  await client.close();
  await provider.close();
  process.exit(0);
} else {
  const name = (process.argv[2] ?? 'splice callEndpoint') as CaseName;
  if (!CASE_NAMES.includes(name)) throw new Error(`unknown case; one of: ${CASE_NAMES.join(', ')}`);
  const server = fork(here('./server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) =>
    server.once('message', (m) => resolve((m as { port: number }).port)),
  );
  const dir = here('./profiles');
  mkdirSync(dir, { recursive: true });
  const out = `${dir}/${name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`;
  const worker = fork(here('./profile.ts'), ['--child', name, `http://127.0.0.1:${port}`, out], {
    execArgv: ['--conditions=@splice/source', '--import', 'tsx'],
    stdio: 'inherit',
  });
  await new Promise((resolve) => worker.once('exit', resolve));
  server.disconnect();
  console.log(`${name}: self time by package, 40,000 calls with 64 in flight (${out})`);
  for (const [key, pct] of summarise(out).slice(0, 15))
    console.log(`${pct.toFixed(1).padStart(5)}%  ${key}`);
}
