// Load generators and statistics for `pnpm bench`. Each case is a function that performs one
// request and resolves when its body is fully read; the generators time every call.

/** One request of a benchmark case. */
export type Call = () => Promise<void>;

/** What one measured run of a case gives. */
export interface RunResult {
  readonly requests: number;
  readonly seconds: number;
  readonly rps: number;
  readonly p50Us: number;
  readonly p99Us: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

function summarise(latencies: Float64Array, elapsedNs: bigint): RunResult {
  latencies.sort();
  const seconds = Number(elapsedNs) / 1e9;
  return {
    requests: latencies.length,
    seconds,
    rps: latencies.length / seconds,
    p50Us: percentile(latencies, 50),
    p99Us: percentile(latencies, 99),
  };
}

/** Runs `total` calls one after the other. */
export async function sequential(call: Call, total: number): Promise<RunResult> {
  const latencies = new Float64Array(total);
  const started = process.hrtime.bigint();
  for (let i = 0; i < total; i++) {
    const t0 = process.hrtime.bigint();
    await call();
    latencies[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  return summarise(latencies, process.hrtime.bigint() - started);
}

/** Runs `total` calls with `concurrency` in flight at any time. */
export async function concurrent(
  call: Call,
  total: number,
  concurrency: number,
): Promise<RunResult> {
  const latencies = new Float64Array(total);
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await call();
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1000;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return summarise(latencies, process.hrtime.bigint() - started);
}

/** The median of several runs by throughput, to damp noise from a shared machine. */
export function medianRun(runs: readonly RunResult[]): RunResult {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}
