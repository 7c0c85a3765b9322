import type {
  Attributes,
  Counter,
  Histogram,
  Span,
  SpanKind,
  SpanOptions,
  SpanStatusCode,
} from '@opentelemetry/api';
import { openTelemetryApi, SpliceError, spliceTracer } from '@splice/core';
import type { TelemetryTarget } from './telemetryTarget.js';

const SPAN_NAME = 'splice.endpoint.call';
const CLIENT: SpanKind.CLIENT = 2;
const ERROR: SpanStatusCode.ERROR = 2;
const SPAN_OPTIONS: SpanOptions = { kind: CLIENT };

/**
 * Telemetry of `callEndpoint`: one `splice.endpoint.call` span per call (ids, HTTP method, status,
 * attempts, error code — never a URL, query value or header value), a `splice.endpoint.call.count`
 * counter and a `splice.endpoint.call.duration` histogram (ms), through `@opentelemetry/api` only.
 *
 * Cheap when no SDK is registered: the span is a non-recording no-op, no attribute object is built
 * for it and no context is activated; metric attributes are cached per endpoint and status. The
 * meter is taken when the runtime is created: register the metrics SDK before `createRuntime`.
 *
 * @example
 * ```ts
 * const telemetry = new EndpointTelemetry();
 * const span = telemetry.start(target);
 * telemetry.succeed(span, target, 200, 1, performance.now() - started);
 * ```
 */
export class EndpointTelemetry {
  // Undefined when nothing is registered with the OpenTelemetry API at construction: the API's
  // meter would be a no-op (see `openTelemetryApi`).
  readonly #count: Counter | undefined;
  readonly #duration: Histogram | undefined;

  constructor() {
    const meter = openTelemetryApi()?.metrics.getMeter('@splice/endpoint-runtime');
    this.#count = meter?.createCounter(`${SPAN_NAME}.count`, {
      description: 'Number of endpoint calls',
    });
    this.#duration = meter?.createHistogram(`${SPAN_NAME}.duration`, {
      description: 'Duration of endpoint calls, retries and queueing included',
      unit: 'ms',
    });
  }

  /** Starts the call's span (not yet active). */
  start(target: TelemetryTarget): Span {
    const span = spliceTracer().startSpan(SPAN_NAME, SPAN_OPTIONS);
    if (span.isRecording()) span.setAttributes(target.spanAttributes);
    return span;
  }

  /** Runs `fn` with `span` as the active span when it records (so HTTP client spans nest). */
  activate<T>(span: Span, fn: () => Promise<T>): Promise<T> {
    if (!span.isRecording()) return fn();
    // A recording span comes from a registered tracer: the API is loaded.
    const { context, trace } = openTelemetryApi()!;
    return context.with(trace.setSpan(context.active(), span), fn);
  }

  /** Ends the span of a successful call and records its metrics. */
  succeed(
    span: Span,
    target: TelemetryTarget,
    status: number,
    attempts: number,
    durationMs: number,
  ): void {
    if (span.isRecording()) {
      span.setAttribute('http.response.status_code', status);
      span.setAttribute('splice.attempts', attempts);
      span.end();
    }
    let attributes = target.okAttributes.get(status);
    if (attributes === undefined) {
      attributes = {
        ...target.metricAttributes,
        'http.response.status_code': status,
        'splice.outcome': 'ok',
      };
      target.okAttributes.set(status, attributes);
    }
    this.#count?.add(1, attributes);
    this.#duration?.record(durationMs, attributes);
  }

  /** Ends the span of a failed call with the error code and records its metrics. */
  fail(
    span: Span,
    target: TelemetryTarget,
    error: unknown,
    attempts: number,
    durationMs: number,
  ): void {
    const outcome = SpliceError.is(error) ? error.code : 'error';
    const status = SpliceError.is(error, 'ENDPOINT_HTTP_ERROR') ? error.details.status : undefined;
    if (span.isRecording()) {
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      span.setAttribute('splice.attempts', attempts);
      span.setAttribute('splice.error.code', outcome);
      span.setStatus({ code: ERROR, message: outcome });
      span.end();
    }
    const attributes: Attributes = { ...target.metricAttributes, 'splice.outcome': outcome };
    if (status !== undefined) attributes['http.response.status_code'] = status;
    this.#count?.add(1, attributes);
    this.#duration?.record(durationMs, attributes);
  }
}
