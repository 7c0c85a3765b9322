import { PassThrough } from 'node:stream';

/** A stream for a command's output and what was written to it so far. */
export interface Collected {
  readonly stream: PassThrough;
  /** Everything written so far, as text. */
  text(): string;
}

/**
 * A stream that keeps what a command writes (its stdout or stderr), for `runCli`'s `output`.
 *
 * @example
 * ```ts
 * const out = collect();
 * await runCli(['instances', 'list'], { output: { stdout: out.stream, stderr: collect().stream } });
 * out.text();
 * ```
 */
export function collect(): Collected {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}
