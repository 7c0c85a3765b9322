import { SpliceError } from '@splice/core';

/**
 * How many refreshes one instance may send per interval, in one process. Default 5 per 60 s:
 * a token that works is refreshed about once per lifetime, so five in a minute means the provider
 * issues tokens that are born expired (`expires_in: 0`, an `expires_at` in the past) or the API
 * refuses every token; refreshing faster would only hammer the token endpoint.
 */
export interface RefreshBudgetLimits {
  readonly refreshes: number;
  readonly intervalMs: number;
}

/**
 * A sliding-window count of the refresh requests sent per instance (RFC 6749 §6 gives no bound;
 * this is Splice's). `check` throws `REFRESH_LIMITED` when none is left (before any store work);
 * `spend` records one request just before it is sent, or throws the same.
 *
 * @example
 * ```ts
 * const budget = new RefreshBudget({ refreshes: 5, intervalMs: 60_000 });
 * budget.spend('i1', Date.now(), ids); // throws REFRESH_LIMITED on the sixth within a minute
 * ```
 */
export class RefreshBudget {
  readonly #limits: RefreshBudgetLimits;
  readonly #sent = new Map<string, number[]>();

  constructor(limits: RefreshBudgetLimits) {
    this.#limits = limits;
  }

  /** Throws `REFRESH_LIMITED` when `instanceId` has no refresh left at `now` (epoch ms). */
  check(instanceId: string, now: number, ids: Readonly<Record<string, string>>): void {
    this.#recent(instanceId, now, ids);
  }

  /** Records one refresh of `instanceId` at `now` (epoch ms), or throws `REFRESH_LIMITED`. */
  spend(instanceId: string, now: number, ids: Readonly<Record<string, string>>): void {
    const recent = this.#recent(instanceId, now, ids);
    recent.push(now);
    this.#sent.set(instanceId, recent);
  }

  #recent(instanceId: string, now: number, ids: Readonly<Record<string, string>>): number[] {
    const { refreshes, intervalMs } = this.#limits;
    const recent = (this.#sent.get(instanceId) ?? []).filter((at) => at > now - intervalMs);
    this.#sent.set(instanceId, recent);
    if (recent.length >= refreshes) {
      const retryAfterMs = Math.max(0, recent[0]! + intervalMs - now);
      throw new SpliceError(
        'REFRESH_LIMITED',
        `Instance "${instanceId}" refreshed its access token ${refreshes} times within ${intervalMs / 1000} s and gets no more refreshes for ${Math.ceil(retryAfterMs / 1000)} s: the provider issues tokens that are already expired, or the API refuses every token. Check the token endpoint's expires_in / expires_at and the API's answers; raise "refreshBudget" only if the provider really issues such short-lived tokens.`,
        { details: { ...ids, refreshes, intervalMs, retryAfterMs } },
      );
    }
    return recent;
  }

  forget(instanceId: string): void {
    this.#sent.delete(instanceId);
  }

  clear(): void {
    this.#sent.clear();
  }
}
