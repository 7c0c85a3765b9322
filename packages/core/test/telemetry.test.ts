import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inSpan, openTelemetryApi, SpliceError, spliceTracer } from '../src/index.js';

// Where @opentelemetry/api 1.x keeps what is registered; owned by this file while it runs.
const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');
const registry = globalThis as Record<symbol, unknown>;
let saved: unknown;

beforeAll(() => {
  saved = registry[API_GLOBAL];
  delete registry[API_GLOBAL];
});

afterAll(() => {
  trace.disable();
  if (saved === undefined) delete registry[API_GLOBAL];
  else registry[API_GLOBAL] = saved;
});

describe('telemetry with nothing registered, then with an SDK', () => {
  // One sequence: the API stays loaded once something has registered.
  it('hands out non-recording spans without the API, then follows the SDK registered later', async () => {
    const tracer = spliceTracer();
    expect(openTelemetryApi()).toBeUndefined();
    const span = tracer.startSpan('splice.endpoint.call');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe('00000000000000000000000000000000');
    expect(span.setAttribute('a', 1)).toBe(span);
    await expect(
      inSpan('splice.token.refresh', { 'splice.instance.id': 'i-1' }, async (inner) => {
        expect(inner.isRecording()).toBe(false);
        return 42;
      }),
    ).resolves.toBe(42);
    const failure = new SpliceError('TOKEN_REQUEST_FAILED', 'refused');
    await expect(
      inSpan('splice.token.refresh', {}, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(openTelemetryApi()).toBeUndefined();

    const spans = new InMemorySpanExporter();
    trace.setGlobalTracerProvider(
      new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }),
    );
    expect(openTelemetryApi()?.trace).toBeDefined();
    // The tracer taken before the registration records now.
    expect(tracer.startSpan('splice.endpoint.call').isRecording()).toBe(true);
    await expect(
      inSpan('splice.token.refresh', { 'splice.instance.id': 'i-1' }, async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    const refresh = spans.getFinishedSpans().find((s) => s.name === 'splice.token.refresh');
    expect(refresh?.attributes).toEqual({
      'splice.instance.id': 'i-1',
      'splice.error.code': 'TOKEN_REQUEST_FAILED',
    });
    expect(refresh?.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'TOKEN_REQUEST_FAILED',
    });
  });
});
