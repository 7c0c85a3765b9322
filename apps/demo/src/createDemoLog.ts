import { performance } from 'node:perf_hooks';
import ora from 'ora';

/** One finished step of the demo. */
export interface DemoStep {
  readonly number: number;
  readonly title: string;
  readonly ms: number;
  readonly ok: boolean;
}

/** The demo's step-by-step log. */
export interface DemoLog {
  /**
   * Runs one numbered step: a spinner while it runs (on a TTY), then one line with its duration
   * and the notes the step added. Rethrows the step's error after logging it.
   */
  step<T>(title: string, run: (note: (line: string) => void) => Promise<T>): Promise<T>;
  /** A plain line between steps. */
  line(text?: string): void;
  /** Steps so far, for the summary. */
  readonly steps: readonly DemoStep[];
}

/** Options of {@link createDemoLog}. */
export interface DemoLogOptions {
  readonly stream: NodeJS.WritableStream & { readonly isTTY?: boolean; readonly columns?: number };
  /** Spinners only on a terminal; piped output (tests, CI) gets plain lines. */
  readonly spinners?: boolean;
}

/**
 * Creates the demo's log: numbered steps with timings, spinners only when writing to a TTY.
 *
 * @example
 * ```ts
 * const log = createDemoLog({ stream: process.stdout });
 * await log.step('Start the Acme API', async (note) => { note('http://127.0.0.1:4100'); });
 * // ✔ 1. Start the Acme API  12 ms
 * //      http://127.0.0.1:4100
 * ```
 */
export function createDemoLog(options: DemoLogOptions): DemoLog {
  const { stream } = options;
  // A terminal of unknown width (some pseudo-terminals report 0 columns) gets plain lines too:
  // a spinner cannot redraw itself without knowing how many lines its text takes.
  const spinners = options.spinners ?? (stream.isTTY === true && (stream.columns ?? 0) > 0);
  const steps: DemoStep[] = [];
  const write = (text: string): void => {
    stream.write(`${text}\n`);
  };
  return {
    steps,
    line(text = '') {
      write(text);
    },
    async step(title, run) {
      const number = steps.length + 1;
      const label = `${number}. ${title}`;
      const notes: string[] = [];
      // discardStdin stays off so Ctrl-C keeps raising SIGINT while a spinner runs.
      const spinner = spinners
        ? ora({ text: label, stream, discardStdin: false }).start()
        : undefined;
      const started = performance.now();
      const finish = (ok: boolean, extra: readonly string[]): void => {
        const ms = Math.round(performance.now() - started);
        steps.push({ number, title, ms, ok });
        const text = `${label}  ${formatMs(ms)}`;
        if (spinner === undefined) write(`${ok ? '✔' : '✖'} ${text}`);
        else if (ok) spinner.succeed(text);
        else spinner.fail(text);
        for (const line of [...notes, ...extra]) write(`     ${line}`);
      };
      try {
        const result = await run((line) => notes.push(line));
        finish(true, []);
        return result;
      } catch (error) {
        finish(false, [error instanceof Error ? error.message : String(error)]);
        throw error;
      }
    },
  };
}

/**
 * Formats a duration for the log: `840 ms`, `1.2 s`.
 *
 * @example
 * ```ts
 * formatMs(1234); // '1.2 s'
 * ```
 */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
