// Test support for @splice/strategies: one connector with a method per built-in strategy and
// endpoints gated per method, parsed by core's parser like a real definition.
import {
  type AuthStrategy,
  type ConnectorDefinition,
  parseConnector,
  SpliceError,
} from '@splice/core';
import { basicAuth, oauth1, oauth1PreIssued, tokenAuth } from '../src/index.js';

export const CALLBACK = 'http://127.0.0.1:1/oauth/callback';

/** One strategy per built-in type, as an engine registers them. */
export function builtInStrategies(): AuthStrategy[] {
  return [tokenAuth({ retries: 0 }), basicAuth({ retries: 0 }), oauth1(), oauth1PreIssued()];
}

/** A method of the test connector: its type, URLs, apply and variable overrides. */
export interface MethodInput {
  readonly id: string;
  readonly type: string;
  readonly urls?: Record<string, string>;
  readonly apply?: { headers?: Record<string, string>; query?: Record<string, string> };
  readonly request?: {
    query?: Record<string, string>;
    headers?: Record<string, string>;
    body?: Record<string, string>;
  };
  readonly tokenRequest?: { headers?: Record<string, string>; body?: Record<string, string> };
  readonly variables?: readonly Record<string, unknown>[];
}

/** An endpoint of the test connector: `path` below `base`, enabled for `methods`. */
export interface EndpointInput {
  readonly id: string;
  readonly url: string;
  readonly methods: readonly string[];
  readonly method?: string;
  readonly bodyFormat?: 'json' | 'form';
}

/**
 * A connector with the given methods and endpoints (without any, one `ping` endpoint enabled for
 * every method), parsed against `strategies`.
 */
export function connector(
  methods: readonly MethodInput[],
  given: readonly EndpointInput[],
  strategies: readonly AuthStrategy[] = builtInStrategies(),
): ConnectorDefinition {
  const endpoints =
    given.length > 0
      ? given
      : [{ id: 'ping', url: 'http://127.0.0.1:1/ping', methods: methods.map((m) => m.id) }];
  return parseConnector(
    {
      id: 'acme',
      name: 'Acme',
      version: '1',
      authMethods: methods.map((m) => ({
        id: m.id,
        name: m.id,
        type: m.type,
        timeoutSeconds: 5,
        ...(m.urls === undefined ? {} : { urls: m.urls }),
        ...(m.apply === undefined ? {} : { apply: { headers: {}, query: {}, ...m.apply } }),
        ...(m.request === undefined ? {} : { request: m.request }),
        ...(m.tokenRequest === undefined ? {} : { tokenRequest: m.tokenRequest }),
        ...(m.variables === undefined ? {} : { variables: m.variables }),
      })),
      endpoints: endpoints.map((e) => ({
        id: e.id,
        name: e.id,
        entity: 'items',
        direction: e.method === undefined || e.method === 'GET' ? 'receive' : 'send',
        method: e.method ?? 'GET',
        url: e.url,
        dataType: 'json',
        ...(e.bodyFormat === undefined ? {} : { bodyFormat: e.bodyFormat }),
        authMethods: e.methods,
      })),
    },
    { strategies },
  );
}

/** The error `promise` rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<SpliceError> {
  try {
    await promise;
  } catch (error) {
    if (SpliceError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** Everything an error shows: message, details and cause, as text to scan for secrets. */
export function shown(error: unknown): string {
  const e = error as { message?: string; details?: unknown; cause?: unknown };
  return `${e.message} ${JSON.stringify(e.details)} ${String(e.cause)}`;
}
