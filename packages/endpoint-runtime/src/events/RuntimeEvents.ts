import type { Instance, Logger, SpliceError } from '@splice/core';

/**
 * Events of the runtime and their listener signatures.
 *
 * @example
 * ```ts
 * runtime.on('reauthorizationRequired', (instance, error) => notifyOwner(instance.id, error.message));
 * ```
 */
export interface RuntimeEvents {
  /**
   * An instance's credentials can no longer be refreshed (e.g. `invalid_grant`): its status became
   * `reauthorization_required`. Fires once per transition, in the process that saw it.
   */
  reauthorizationRequired: (instance: Instance, error: SpliceError) => void;
}

/**
 * A small typed event emitter. Listener errors are logged and never reach the caller whose
 * request triggered the event.
 *
 * @example
 * ```ts
 * const events = new RuntimeEventEmitter(noopLogger);
 * events.on('reauthorizationRequired', (instance) => console.log(instance.id));
 * ```
 */
export class RuntimeEventEmitter {
  readonly #listeners = new Map<keyof RuntimeEvents, Set<RuntimeEvents[keyof RuntimeEvents]>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
  }

  off<E extends keyof RuntimeEvents>(event: E, listener: RuntimeEvents[E]): void {
    this.#listeners.get(event)?.delete(listener);
  }

  emit<E extends keyof RuntimeEvents>(event: E, ...args: Parameters<RuntimeEvents[E]>): void {
    const set = this.#listeners.get(event);
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<RuntimeEvents[E]>) => void)(...args);
      } catch (error) {
        this.#logger.error('A runtime event listener threw', {
          event,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}
