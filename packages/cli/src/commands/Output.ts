/** Where a command writes: its standard output and error streams. */
export interface Output {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
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
