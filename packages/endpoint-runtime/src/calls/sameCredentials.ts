import type { Credentials } from '@splice/core';

/**
 * True when `b` renders exactly like `a`: the same object, or the same credential values. Lets the
 * runtime keep its rendered requests when a strategy hands out a fresh but equal object per call.
 *
 * @example
 * ```ts
 * sameCredentials({ values: { t: '1' }, obtainedAt: 1 }, { values: { t: '1' }, obtainedAt: 2 }); // true
 * ```
 */
export function sameCredentials(a: Credentials | undefined, b: Credentials): boolean {
  if (a === b) return true;
  if (a === undefined) return false;
  const x = a.values;
  const y = b.values;
  if (x === y) return true;
  let count = 0;
  for (const key in x) {
    if (x[key] !== y[key]) return false;
    count++;
  }
  for (const _ in y) count--;
  return count === 0;
}
