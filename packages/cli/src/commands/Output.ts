/** Where a command writes: its standard output and error streams. */
export interface Output {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** Progress lines and spinners go here, and only when it is a terminal (`isTTY`). */
  readonly stderr: NodeJS.WritableStream & { readonly isTTY?: boolean };
  /** Where `--var-file -` reads from; default the process's standard input. */
  readonly stdin?: NodeJS.ReadableStream;
}

/**
 * The process's own streams.
 *
 * @example
 * ```ts
 * const code = await validateCommand('acme.yaml', processOutput());
 * ```
 */
export function processOutput(): Output {
  return { stdout: process.stdout, stderr: process.stderr };
}
