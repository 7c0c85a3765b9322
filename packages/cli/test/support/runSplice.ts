import { PassThrough } from 'node:stream';
import { runCli } from '../../src/runCli.js';

/** What a `splice` run in this process printed and its exit code. */
export interface SpliceRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the `splice` command in this process with `argv` (and `env` in place of `process.env` when
 * given), collecting both output streams.
 *
 * @example
 * ```ts
 * const { code, stderr } = await runSplice(['validate', file]);
 * ```
 */
export async function runSplice(
  argv: readonly string[],
  env?: Readonly<Record<string, string>>,
): Promise<SpliceRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await runCli(argv, {
    output: { stdout, stderr },
    ...(env === undefined ? {} : { env }),
  });
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}
