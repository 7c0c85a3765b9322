import { type Output, processOutput } from '@splice/cli';
import { SpliceError } from '@splice/core';
import { type DemoOptions, runDemo } from './runDemo.js';

/**
 * `pnpm demo`: runs {@link runDemo}, turning Ctrl-C into a clean shutdown
 * (every server closed, the store flushed) and any failure into a message and exit code 1.
 * Returns the exit code: 0 when the run finished (with `ui`, also after Ctrl-C), 1 on a
 * failure, 130 when Ctrl-C cut a run short.
 *
 * @example
 * ```ts
 * process.exitCode = await demoCommand({ browser: true }, processOutput());
 * ```
 */
export async function demoCommand(
  options: DemoOptions,
  output: Output = processOutput(),
): Promise<number> {
  const controller = new AbortController();
  let firstInterrupt: number | undefined;
  const onSigint = (): void => {
    // A terminal's Ctrl-C can reach this process twice (directly and relayed by a wrapper such as
    // pnpm or tsx): only a second press a moment later forces the exit.
    if (firstInterrupt !== undefined) {
      if (Date.now() - firstInterrupt > 500) process.exit(130);
      return;
    }
    firstInterrupt = Date.now();
    output.stderr.write('\nStopping: closing the servers and the store… (Ctrl-C again to force)\n');
    controller.abort(new SpliceError('RUNTIME_CLOSED', 'The demo was stopped with Ctrl-C.'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    // With --ui, Ctrl-C is how the demo ends: a finished run exits 0 however it was stopped.
    await runDemo({
      ...options,
      stdout: options.stdout ?? output.stdout,
      signal: controller.signal,
    });
    return 0;
  } catch (error) {
    if (controller.signal.aborted) return 130;
    // Splice's messages hold no secret by contract (SPEC §7); they are shown as they are.
    const message = error instanceof Error ? error.message : String(error);
    const code = SpliceError.is(error) ? ` [${error.code}]` : '';
    output.stderr.write(`\n✖ The demo failed${code}: ${message}\n`);
    if (process.env['SPLICE_DEBUG'] === '1' && error instanceof Error) {
      output.stderr.write(`${error.stack ?? ''}\n`);
    }
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
