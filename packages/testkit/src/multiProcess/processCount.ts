/**
 * The `processes` option of a multi-process suite: 4 by default, and at least 2, since one
 * process contends with nobody.
 *
 * @example
 * ```ts
 * processCount(undefined); // 4
 * ```
 */
export function processCount(processes = 4): number {
  if (!Number.isInteger(processes) || processes < 2) {
    throw Object.assign(new TypeError('options.processes must be an integer of at least 2'), {
      code: 'INVALID_ARGUMENT',
    });
  }
  return processes;
}
