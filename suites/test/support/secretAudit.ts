// The secret scan of a whole test file: a capturing Logger, an in-memory span exporter, and every
// error, instance and serialized value the file saw. Collect first, assert once at the end.
import { inspect } from 'node:util';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { LogFields, Logger } from '@splice/core';

const exporter = new InMemorySpanExporter();
let registered = false;

// One provider per test worker (vitest isolates files): the suites' spans all land here.
function register(): void {
  if (registered) return;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  registered = true;
}

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields | undefined;
}

/** Where a leaked secret was found, for the failure message. */
export interface Leak {
  readonly where: string;
  readonly excerpt: string;
}

/**
 * Collects log lines, spans, errors and serialized instances of a test file, and the secret
 * values the file handled (client secrets, codes, PKCE verifiers, access and refresh tokens), and
 * finds every place a secret (as is, or percent-encoded) appears.
 *
 * @example
 * ```ts
 * const audit = new SecretAudit();
 * createRuntime({ connectors, strategies, logger: audit.logger });
 * audit.secret(clientSecret);
 * afterAll(() => expect(audit.leaks()).toEqual([]));
 * ```
 */
export class SecretAudit {
  readonly #lines: LogLine[] = [];
  readonly #errors: unknown[] = [];
  readonly #serialized: string[] = [];
  readonly #secrets = new Set<string>();
  readonly logger: Logger;

  constructor() {
    register();
    const at =
      (level: string) =>
      (message: string, fields?: LogFields): void => {
        this.#lines.push({ level, message, fields });
      };
    this.logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  }

  /** Values that must appear nowhere (shorter than 6 characters are ignored: too common). */
  secret(...values: readonly (string | null | undefined)[]): void {
    for (const value of values)
      if (typeof value === 'string' && value.length >= 6) this.#secrets.add(value);
  }

  get secretCount(): number {
    return this.#secrets.size;
  }

  get logLineCount(): number {
    return this.#lines.length;
  }

  get spanCount(): number {
    return exporter.getFinishedSpans().length;
  }

  get errorCount(): number {
    return this.#errors.length;
  }

  /**
   * Records an error (its `util.inspect` output with hidden properties, message, String(), stack,
   * details and cause chain are scanned).
   */
  error(error: unknown): unknown {
    this.#errors.push(error);
    return error;
  }

  /** Awaits a promise that must reject; records and returns the error. */
  async rejection(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
    try {
      await promise;
    } catch (error) {
      this.error(error);
      return error as Error & Record<string, unknown>;
    }
    throw new Error('expected a rejection, got a result');
  }

  /** Records `JSON.stringify(value)` (an instance, a result) to scan. */
  serialized(value: unknown): void {
    this.#serialized.push(JSON.stringify(value) ?? String(value));
  }

  #texts(): { where: string; text: string }[] {
    const out: { where: string; text: string }[] = [];
    const seen = new Set<unknown>();
    const walk = (value: unknown, where: string): void => {
      if (value === undefined || value === null || seen.has(value)) return;
      if (typeof value === 'object') seen.add(value);
      if (value instanceof Error) {
        // Every own property, hidden ones and the cause chain included, as a log line prints it.
        out.push({
          where: `${where} inspect`,
          text: inspect(value, { depth: 20, showHidden: true, breakLength: Infinity }),
        });
        out.push({ where: `${where}.message`, text: value.message });
        out.push({ where: `${where} String()`, text: String(value) });
        out.push({ where: `${where}.stack`, text: String(value.stack ?? '') });
        const details = (value as { details?: unknown }).details;
        if (details !== undefined)
          out.push({ where: `${where}.details`, text: JSON.stringify(details) });
        walk(value.cause, `${where}.cause`);
        return;
      }
      out.push({ where, text: typeof value === 'string' ? value : safeJson(value) });
    };
    for (const [i, error] of this.#errors.entries()) walk(error, `error[${i}]`);
    for (const [i, line] of this.#lines.entries()) {
      out.push({ where: `log[${i}] ${line.level}`, text: line.message });
      out.push({ where: `log[${i}] fields`, text: safeJson(line.fields ?? {}) });
    }
    for (const span of exporter.getFinishedSpans()) {
      out.push({ where: `span ${span.name}`, text: JSON.stringify(span.attributes) });
      out.push({ where: `span ${span.name} status`, text: span.status.message ?? '' });
      for (const event of span.events)
        out.push({
          where: `span ${span.name} event ${event.name}`,
          text: JSON.stringify(event.attributes ?? {}),
        });
    }
    for (const [i, text] of this.#serialized.entries())
      out.push({ where: `serialized[${i}]`, text });
    return out;
  }

  /** Every place a collected secret appears; empty when clean. */
  leaks(): Leak[] {
    const found: Leak[] = [];
    const texts = this.#texts();
    for (const secret of this.#secrets) {
      const forms = [secret, encodeURIComponent(secret)];
      for (const { where, text } of texts) {
        const form = forms.find((f) => text.includes(f));
        if (form !== undefined)
          found.push({ where, excerpt: text.replace(form, '<SECRET>').slice(0, 200) });
      }
    }
    return found;
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
