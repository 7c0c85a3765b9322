// Test support for @splice/oauth2-authcode: definitions, contexts, and the audit that proves no
// secret reaches an error, a log line or a span.
import { context, trace } from '@opentelemetry/api';
import { AsyncHooksContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type {
  AuthMethodDefinition,
  AuthStrategy,
  ConnectorDefinition,
  Credentials,
  LogFields,
  Logger,
  VariableDefinition,
} from '@splice/core';
import { afterAll, expect } from 'vitest';

export const CALLBACK = 'http://127.0.0.1:1/oauth/callback';

export function variable(key: string, extra: Partial<VariableDefinition> = {}): VariableDefinition {
  return {
    key,
    required: false,
    configurable: true,
    advanced: false,
    secret: false,
    locked: false,
    ...extra,
  };
}

/** An oauth2 connector definition as `parseConnector` would return it. */
export function oauthConnector(
  urls: Record<string, string>,
  method: Partial<Omit<AuthMethodDefinition, 'urls'>> = {},
  connectorVariables: VariableDefinition[] = [],
): ConnectorDefinition {
  return {
    id: 'acme',
    name: 'Acme',
    version: '1',
    variables: connectorVariables,
    authMethods: [
      {
        id: 'acme-oauth',
        name: 'Acme OAuth',
        type: 'oauth2-authorization-code',
        timeoutSeconds: 10,
        request: { query: {}, headers: {}, body: {} },
        ...method,
        variables: [
          variable('client_id', { required: true }),
          variable('client_secret', { required: true, secret: true }),
          ...(method.variables ?? []),
        ],
        urls,
      },
    ],
    endpoints: [],
  };
}

// ---- the audit -------------------------------------------------------------------------------

interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: LogFields | undefined;
}

const exporter = new InMemorySpanExporter();
let tracing = false;

/** Registers an in-memory span exporter once per worker. */
export function spans(): InMemorySpanExporter {
  if (!tracing) {
    context.setGlobalContextManager(new AsyncHooksContextManager().enable());
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
    );
    tracing = true;
  }
  return exporter;
}

/**
 * Collects every error message (with details and cause), log line and span attribute, and
 * every secret value seen (client secrets, codes, verifiers, tokens), then proves that none of
 * the former contains any of the latter.
 */
export class Audit {
  readonly lines: LogLine[] = [];
  readonly errors: unknown[] = [];
  readonly secrets = new Set<string>();
  readonly logger: Logger;

  constructor() {
    spans();
    const at =
      (level: string) =>
      (message: string, fields?: LogFields): void => {
        this.lines.push({ level, message, fields });
      };
    this.logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  }

  secret(...values: (string | undefined | null)[]): void {
    for (const value of values)
      if (value !== undefined && value !== null && value.length >= 4) this.secrets.add(value);
  }

  credentials(credentials: Credentials): void {
    this.secret(credentials.values['access_token'], credentials.values['refresh_token']);
  }

  /** Wraps a strategy: errors are recorded, credentials and callback codes become secrets. */
  watch(strategy: AuthStrategy): AuthStrategy {
    const record = async <T>(run: () => Promise<T>): Promise<T> => {
      try {
        const result = await run();
        if (typeof result === 'object' && result !== null && 'values' in result)
          this.credentials(result as unknown as Credentials);
        if (typeof result === 'object' && result !== null && 'data' in result) {
          const data = (result as { data: Record<string, unknown> }).data;
          this.secret(
            typeof data['code_verifier'] === 'string' ? data['code_verifier'] : undefined,
          );
        }
        return result;
      } catch (error) {
        this.errors.push(error);
        throw error;
      }
    };
    return {
      ...strategy,
      ...(strategy.begin && { begin: (ctx) => record(() => strategy.begin!(ctx)) }),
      ...(strategy.complete && {
        complete: (ctx, callback) => {
          this.secret(callback.params.get('code'));
          return record(() => strategy.complete!(ctx, callback));
        },
      }),
      ...(strategy.authenticate && {
        authenticate: (ctx) => {
          this.secret(ctx.values['oauth_authorised_code']);
          return record(() => strategy.authenticate!(ctx));
        },
      }),
      getCredentials: (ctx) => record(() => strategy.getCredentials(ctx)),
      ...(strategy.refresh && {
        refresh: (ctx, rejected) => record(() => strategy.refresh!(ctx, rejected)),
      }),
    };
  }

  /** Every text that must be secret-free. */
  texts(): string[] {
    const out: string[] = [];
    const seen = new Set<unknown>();
    const error = (value: unknown): void => {
      if (value === undefined || value === null || seen.has(value)) return;
      seen.add(value);
      if (value instanceof Error) {
        out.push(value.message, String(value.stack ?? ''));
        out.push(JSON.stringify((value as { details?: unknown }).details ?? {}));
        error(value.cause);
      } else {
        out.push(typeof value === 'string' ? value : JSON.stringify(value));
      }
    };
    for (const e of this.errors) error(e);
    for (const line of this.lines) out.push(line.message, JSON.stringify(line.fields ?? {}));
    for (const span of exporter.getFinishedSpans()) {
      out.push(span.name, JSON.stringify(span.attributes), span.status.message ?? '');
      for (const event of span.events) out.push(event.name, JSON.stringify(event.attributes ?? {}));
    }
    return out;
  }

  /** Fails when any collected text holds any collected secret. */
  assertClean(): void {
    const texts = this.texts();
    expect(this.secrets.size).toBeGreaterThan(0);
    for (const secret of this.secrets) {
      const encoded = encodeURIComponent(secret);
      for (const text of texts) {
        if (text.includes(secret) || text.includes(encoded)) {
          expect.fail(`a secret leaked into: ${text.replace(secret, '<SECRET>').slice(0, 300)}`);
        }
      }
    }
  }

  /** Registers `assertClean` to run after the file's tests. */
  checkAfterAll(): this {
    afterAll(() => this.assertClean());
    return this;
  }
}
