import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A message between a suite and its child processes; `type` says what it is. */
export interface ProcessMessage {
  readonly type: string;
}

/** A child process started by {@link startChildProcess}, and its IPC channel. */
export interface ChildProcessChannel {
  readonly child: ChildProcess;
  /** The next message of this `type`, in arrival order; rejects once the child has exited. */
  next<M extends ProcessMessage>(type: M['type']): Promise<M>;
  send(message: ProcessMessage): void;
  /** Kills the child with SIGKILL (no chance to release anything) and waits for its exit. */
  kill(): Promise<void>;
  /** Sends `close` and waits for the child to exit; kills it if it has not after 10 s. */
  close(): Promise<void>;
}

// The children run from the same place as this file: TypeScript sources in the workspace, built
// JavaScript once published.
const extension = extname(fileURLToPath(import.meta.url));
const typescript = /\.[cm]?ts$/;

/**
 * Starts `node <entry> <moduleUrl> <payload as JSON>`, where `entry` is a child script next to
 * this file, and waits for its `ready` message. TypeScript (the entry, or the caller's module) is
 * run through tsx; from sources, the `@splice/source` condition makes the child load the
 * workspace packages' sources as the test process does.
 *
 * @example
 * ```ts
 * const contender = await startChildProcess('storeContender', moduleUrl, storeOptions);
 * ```
 */
export async function startChildProcess(
  entry: string,
  moduleUrl: string,
  payload: unknown,
): Promise<ChildProcessChannel> {
  const script = fileURLToPath(new URL(`./${entry}${extension}`, import.meta.url));
  const flags = [
    ...(typescript.test(extension) ? ['--conditions=@splice/source'] : []),
    ...(typescript.test(extension) || typescript.test(moduleUrl) ? ['--import', 'tsx'] : []),
  ];
  const child = spawn(process.execPath, [...flags, script, moduleUrl, JSON.stringify(payload)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const inbox: ProcessMessage[] = [];
  const waiting: {
    type: string;
    resolve: (message: ProcessMessage) => void;
    reject: (error: Error) => void;
  }[] = [];
  let exit: string | undefined;
  child.on('message', (message: ProcessMessage) => {
    const index = waiting.findIndex((w) => w.type === message.type);
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(message);
    else inbox.push(message);
  });
  child.once('exit', (code, signal) => {
    exit = `${entry} exited (${code ?? signal})`;
    for (const w of waiting.splice(0)) w.reject(new Error(`${exit} while waiting for ${w.type}`));
  });
  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  const channel: ChildProcessChannel = {
    child,
    next<M extends ProcessMessage>(type: M['type']): Promise<M> {
      const index = inbox.findIndex((m) => m.type === type);
      if (index >= 0) return Promise.resolve(inbox.splice(index, 1)[0] as M);
      if (exit !== undefined) return Promise.reject(new Error(`${exit} before ${type}`));
      return new Promise<M>((resolve, reject) => {
        waiting.push({ type, resolve: resolve as (message: ProcessMessage) => void, reject });
      });
    },
    send(message) {
      child.send(message);
    },
    async kill() {
      if (!running()) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
    async close() {
      if (!running()) return;
      const exited = once(child, 'exit');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      try {
        child.send({ type: 'close' });
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
      clearTimeout(timer);
    },
  };
  await channel.next('ready');
  return channel;
}
