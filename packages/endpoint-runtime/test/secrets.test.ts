// Collects every error, log line and span the runtime produces across failure scenarios and
// proves that no secret value (API key, client id secret, token) appears in any of them.
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { MemoryStore } from '@splice/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  endpoint,
  recordingLogger,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
  variable,
} from './support/fixtures.js';

const API_KEY = 'key-supersecret42';
const CLIENT_ID = 'client-id-confidential';
const spans = new InMemorySpanExporter();
const logger = recordingLogger();
const errors: unknown[] = [];
let server: TestServer;
let runtime: Runtime;

function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(current.message, JSON.stringify((current as { details?: unknown }).details ?? {}));
    current = current.cause;
  }
  if (current !== undefined) parts.push(JSON.stringify(current));
  return parts.join('\n');
}

beforeAll(async () => {
  // Own the globals even if another suite in this worker registered providers before.
  trace.disable();
  context.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  server = await startTestServer();
  // Every answer echoes what it was sent, as careless APIs do.
  server.handle = (req, res) => {
    const echo = `${req.url} ${JSON.stringify(req.headers)} ${req.body}`;
    if (req.url.includes('/html')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html>${echo}</html>`);
    } else if (req.url.includes('/slow')) {
      // Never answers: the endpoint's 0.1 s timeout must end the call, however loaded the machine.
      res.flushHeaders();
    } else {
      res.writeHead(req.url.includes('/fail') ? 500 : 401, {
        'www-authenticate': `Bearer error="invalid_token" ${echo}`,
        'set-cookie': `session=${API_KEY}`,
      });
      res.end(echo);
    }
  };
  const oauth = testOAuthStrategy();
  oauth.refreshMode = 'dead';
  runtime = createRuntime({
    connectors: [
      acmeConnector(server.url, {
        endpoints: [
          endpoint('echo', `${server.url}/{{account}}/echo`, ['acme-token', 'acme-oauth']),
          endpoint('fail', `${server.url}/fail?k={{api_key_copy}}`, ['acme-token'], {
            variables: [variable('api_key_copy')],
          }),
          endpoint('html', `${server.url}/html`, ['acme-token']),
          endpoint('slow', `${server.url}/slow`, ['acme-token'], { timeoutSeconds: 0.1 }),
        ],
      }),
    ],
    strategies: [testTokenStrategy(), oauth],
    store: new MemoryStore(),
    logger,
    retry: { retries: 1, minDelayMs: 1 },
  });
});
afterAll(async () => {
  await runtime.close();
  await server.close();
  trace.disable();
  context.disable();
});

async function attempt(promise: Promise<unknown>): Promise<void> {
  try {
    await promise;
  } catch (error) {
    errors.push(error);
  }
}

describe('secrets never leave the runtime', () => {
  it('in errors, log lines, spans and serialized instances', async () => {
    const token = await runtime.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'T',
      variables: { account: 'eu', api_key: API_KEY },
    });
    const { state } = await runtime.beginAuthorization({
      connectorId: 'acme',
      authMethodId: 'acme-oauth',
      name: 'O',
      variables: { account: 'eu', client_id: CLIENT_ID },
    });
    const oauth = await runtime.completeAuthorization({ code: 'good-code', state });

    await attempt(runtime.callEndpoint(token, 'echo'));
    await attempt(runtime.callEndpoint(token, 'fail', { variables: { api_key_copy: API_KEY } }));
    await attempt(runtime.callEndpoint(token, 'html'));
    await attempt(runtime.callEndpoint(token, 'slow'));
    await attempt(runtime.callEndpoint(oauth, 'echo')); // 401 → dead refresh → re-authorization
    await attempt(runtime.callEndpoint(oauth, 'echo'));
    await attempt(
      runtime.addInstance({
        connectorId: 'acme',
        authMethodId: 'acme-token',
        name: 'bad',
        variables: { account: 'eu', api_key: 'not-the-format-supersecret' },
      }),
    );
    expect(errors.map((e) => (e as { code: string }).code)).toEqual([
      'ENDPOINT_HTTP_ERROR',
      'ENDPOINT_HTTP_ERROR',
      'RESPONSE_PARSE_FAILED',
      'TIMEOUT',
      'REAUTHORIZATION_REQUIRED',
      'REAUTHORIZATION_REQUIRED',
      'CREDENTIALS_INVALID',
    ]);

    const everything = [
      ...errors.map(describeError),
      ...logger.lines.map((line) => `${line.message} ${JSON.stringify(line.fields ?? {})}`),
      ...spans
        .getFinishedSpans()
        .map((s) => JSON.stringify([s.name, s.attributes, s.status, s.events])),
      JSON.stringify(await runtime.listInstances()),
      JSON.stringify(token),
      JSON.stringify(oauth),
    ].join('\n');
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(spans.getFinishedSpans().length).toBeGreaterThanOrEqual(6);
    for (const secret of [API_KEY, 'tok-1', 'v-secret']) {
      expect(everything).not.toContain(secret);
    }
  });
});
