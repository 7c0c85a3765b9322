import { SpliceError, scrub } from '@splice/core';
import { type DemoOptions, runDemo } from '../demo/runDemo.js';
import type { Output } from './Output.js';

/**
 * `splice demo` (and `pnpm demo`): runs {@link runDemo}, turning Ctrl-C into a clean shutdown
 * (every server closed, the store flushed) and any failure into a message and exit code 1.
 * Returns the exit code: 0, 1, or 130 after Ctrl-C.
 *
 * @example
 * ```ts
 * process.exitCode = await demoCommand({ browser: true }, processOutput());
 * ```
 */
export async function demoCommand(options: DemoOptions, output: Output): Promise<number> {
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    output.stderr.write('\nStopping: closing the servers and the store… (Ctrl-C again to force)\n');
    controller.abort(new SpliceError('RUNTIME_CLOSED', 'The demo was stopped with Ctrl-C.'));
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    await runDemo({
      ...options,
      stdout: options.stdout ?? output.stdout,
      signal: controller.signal,
    });
    return controller.signal.aborted ? 130 : 0;
  } catch (error) {
    if (controller.signal.aborted) return 130;
    const message = error instanceof Error ? error.message : String(error);
    const code = SpliceError.is(error) ? ` [${error.code}]` : '';
    output.stderr.write(`\n✖ The demo failed${code}: ${scrub(message, [])}\n`);
    if (process.env['SPLICE_DEBUG'] === '1' && error instanceof Error) {
      output.stderr.write(`${error.stack ?? ''}\n`);
    }
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
