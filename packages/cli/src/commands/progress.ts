import type { Output } from './Output.js';

/** A spinner line on standard error. */
export interface Progress {
  /** Replaces the text after the spinner. */
  update(text: string): void;
  /** Clears the line. */
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows `text` with a spinner and the seconds elapsed on standard error while something waits
 * (a redirect, a token request, a call), redrawn every 100 ms. Only on a terminal: when stderr is
 * a pipe or a file (scripts, CI, `--json`) nothing is written, so output stays clean.
 *
 * @example
 * ```ts
 * const progress = startProgress(output, 'Waiting for the redirect');
 * try { await callbackServer.next(); } finally { progress.stop(); }
 * ```
 */
export function startProgress(output: Output, text: string): Progress {
  if (output.stderr.isTTY !== true) return { update() {}, stop() {} };
  const started = Date.now();
  let current = text;
  let frame = 0;
  const draw = (): void => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    output.stderr.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${current} (${seconds} s)`);
  };
  draw();
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    update(next) {
      current = next;
      draw();
    },
    stop() {
      clearInterval(timer);
      output.stderr.write('\r\x1b[2K');
    },
  };
}
