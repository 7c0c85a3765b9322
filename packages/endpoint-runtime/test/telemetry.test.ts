import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  type HistogramMetricData,
  MeterProvider,
  MetricReader,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../src/index.js';
import type { Runtime } from '../src/Runtime.js';
import {
  acmeConnector,
  rejection,
  startTestServer,
  type TestServer,
  testOAuthStrategy,
  testTokenStrategy,
  variable,
} from './support/fixtures.js';

class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const spans = new InMemorySpanExporter();
const reader = new TestReader();
let server: TestServer;
let runtime: Runtime;
let instanceId: string;

beforeAll(async () => {
  // Register the SDK before the runtime exists: the runtime takes its meter at creation.
  // Own the globals even if another suite in this worker registered providers before.
  trace.disable();
  context.disable();
  metrics.disable();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
  );
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  server = await startTestServer();
  server.handle = (req, res) => {
    const fail = req.url.includes('/me');
    res.writeHead(fail ? 404 : 200, { 'content-type': 'application/json' });
    res.end('{"ok":true}');
  };
  runtime = createRuntime({
    // `account` may be set per call: the failing call below points it at a missing path.
    connectors: [
      acmeConnector(server.url, {
        variables: [variable('account', { required: true, perCall: true })],
      }),
    ],
    strategies: [testTokenStrategy(), testOAuthStrategy()],
  });
  const instance = await runtime.addInstance({
    connectorId: 'acme',
    authMethodId: 'acme-token',
    name: 'T',
    variables: { account: 'secret-account', api_key: 'key-telemetry' },
  });
  instanceId = instance.id;
});

afterAll(async () => {
  await runtime.close();
  await server.close();
  trace.disable();
  metrics.disable();
  context.disable();
});

describe('splice.endpoint.call telemetry', () => {
  it('records one span per call with ids, method, status and attempts, and nothing secret', async () => {
    spans.reset();
    await runtime.callEndpoint(instanceId, 'list-orders', {
      variables: { status: 'query-value-x' },
      headers: { 'x-custom': 'header-value-y' },
    });
    const finished = spans.getFinishedSpans();
    expect(finished).toHaveLength(1);
    const span = finished[0]!;
    expect(span.name).toBe('splice.endpoint.call');
    expect(span.attributes).toEqual({
      'splice.connector.id': 'acme',
      'splice.auth_method.id': 'acme-token',
      'splice.instance.id': instanceId,
      'splice.endpoint.id': 'list-orders',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'splice.attempts': 1,
    });
    const text = JSON.stringify({
      attributes: span.attributes,
      events: span.events,
      status: span.status,
    });
    for (const secret of [
      'key-telemetry',
      'secret-account',
      'query-value-x',
      'header-value-y',
      '127.0.0.1',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('marks a failed call with the error code and status', async () => {
    spans.reset();
    await rejection(runtime.callEndpoint(instanceId, 'orders', { variables: { account: 'me' } }));
    const [span] = spans.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      'splice.error.code': 'ENDPOINT_HTTP_ERROR',
      'http.response.status_code': 404,
      'splice.attempts': 1,
    });
    expect(span?.status.code).toBe(2);
  });

  it('counts calls and records durations by outcome', async () => {
    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
    const count = all.find(
      (m) => m.descriptor.name === 'splice.endpoint.call.count',
    ) as SumMetricData;
    const duration = all.find(
      (m) => m.descriptor.name === 'splice.endpoint.call.duration',
    ) as HistogramMetricData;
    expect(count).toBeDefined();
    expect(duration?.descriptor.unit).toBe('ms');
    const ok = count.dataPoints.find((p) => p.attributes['splice.outcome'] === 'ok');
    const failed = count.dataPoints.find(
      (p) => p.attributes['splice.outcome'] === 'ENDPOINT_HTTP_ERROR',
    );
    expect(ok?.value).toBe(1);
    expect(ok?.attributes).toEqual({
      'splice.connector.id': 'acme',
      'splice.auth_method.id': 'acme-token',
      'splice.endpoint.id': 'list-orders',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'splice.outcome': 'ok',
    });
    expect(failed?.value).toBe(1);
    expect(duration.dataPoints.reduce((n, p) => n + p.value.count, 0)).toBe(2);
  });

  it('makes the call span the parent of spans started inside the pipeline', async () => {
    spans.reset();
    const tracer = trace.getTracer('test');
    const strategy = testTokenStrategy();
    const getCredentials = strategy.getCredentials.bind(strategy);
    strategy.getCredentials = async (ctx) => {
      tracer.startSpan('inner').end();
      return getCredentials(ctx);
    };
    const local = createRuntime({
      connectors: [acmeConnector(server.url)],
      strategies: [strategy, testOAuthStrategy()],
    });
    const instance = await local.addInstance({
      connectorId: 'acme',
      authMethodId: 'acme-token',
      name: 'T',
      variables: { account: 'a', api_key: 'key-abcd' },
    });
    await local.callEndpoint(instance, 'orders');
    const call = spans.getFinishedSpans().find((s) => s.name === 'splice.endpoint.call');
    const inner = spans.getFinishedSpans().find((s) => s.name === 'inner');
    expect(inner?.parentSpanContext?.spanId).toBe(call?.spanContext().spanId);
    await local.close();
  });
});
