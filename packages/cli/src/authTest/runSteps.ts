import type { AuthTestContext, AuthTestStep, StepResult } from './authTestSteps.js';

/** One step as reported: its result, id, title and time in milliseconds. */
export interface StepReport extends StepResult {
  readonly id: string;
  readonly title: string;
  readonly ms: number;
}

const MARK = { ok: '✔', warning: '!', failed: '✖', skipped: '–' } as const;

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * Runs `steps` in order with `ctx`, printing each as it ends (mark, title, time, summary, then
 * details, the OAuth error, the network cause and hints); after a failed step the rest are
 * reported as skipped. A step that throws fails with the error's message, scrubbed.
 *
 * @example
 * ```ts
 * const reports = await runSteps(defaultAuthTestSteps(), ctx);
 * const ok = reports.every((r) => r.status !== 'failed');
 * ```
 */
export async function runSteps(
  steps: readonly AuthTestStep[],
  ctx: AuthTestContext,
): Promise<StepReport[]> {
  const reports: StepReport[] = [];
  let stopped = false;
  for (const step of steps) {
    const started = performance.now();
    let result: StepResult;
    if (stopped) result = { status: 'skipped', summary: 'not run: an earlier step failed' };
    else {
      try {
        result = await step.run(ctx);
      } catch (error) {
        result = {
          status: 'failed',
          summary: ctx.clean(error instanceof Error ? error.message : String(error)),
        };
      }
    }
    const ms = Math.round(performance.now() - started);
    reports.push({ id: step.id, title: step.title, ms, ...result });
    printStep(ctx.say, step.title, ms, result);
    if (result.status === 'failed') stopped = true;
  }
  return reports;
}

function printStep(
  say: (line?: string) => void,
  title: string,
  ms: number,
  result: StepResult,
): void {
  const time = result.status === 'skipped' ? '' : formatMs(ms);
  say(`${MARK[result.status]} ${title.padEnd(18)} ${time.padEnd(9)} ${result.summary}`);
  for (const line of result.details ?? []) say(line === '' ? '' : `    ${line}`);
  const failure = result.failure;
  if (failure === undefined) return;
  if (failure.oauthError !== undefined) {
    say(
      `    OAuth error: ${failure.oauthError}${failure.oauthErrorDescription === undefined ? '' : ` — ${failure.oauthErrorDescription}`}`,
    );
  }
  if (failure.cause !== undefined) say(`    cause: ${failure.cause}`);
  for (const hint of failure.hints) say(`    → ${hint}`);
}
