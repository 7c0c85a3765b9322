import type {
  Attributes,
  Counter,
  Histogram,
  Span,
  SpanStatusCode,
  Tracer,
} from '@opentelemetry/api';
import { SpliceError } from '../errors/SpliceError.js';
import { lazyTracer, openTelemetryApi } from './openTelemetry.js';

/** Span names Splice emits (SPEC §7). */
export type SpliceSpanName =
  | 'splice.authorize.begin'
  | 'splice.authorize.complete'
  | 'splice.token.exchange'
  | 'splice.token.refresh'
  | 'splice.endpoint.call';

/** Attribute values allowed on Splice spans: ids, methods, statuses, counts. Never a secret. */
export type SpliceAttributes = Readonly<Record<string, string | number | boolean | undefined>>;

const TRACER_NAME = '@splice/core';
const tracer = lazyTracer(TRACER_NAME);
const ERROR: SpanStatusCode.ERROR = 2;
const counters = new Map<string, Counter>();
const histograms = new Map<string, Histogram>();

/**
 * The tracer Splice uses; a proxy that follows whatever provider the application registers (and
 * does not load `@opentelemetry/api` while nothing is registered: see `openTelemetryApi`).
 */
export function spliceTracer(): Tracer {
  return tracer;
}

function clean(attributes: SpliceAttributes): Attributes {
  const out: Attributes = {};
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function instruments(name: SpliceSpanName): { count: Counter; duration: Histogram } | undefined {
  let count = counters.get(name);
  let duration = histograms.get(name);
  if (count === undefined || duration === undefined) {
    // Nothing registered: the API's meter would be a no-op, so none is taken yet.
    const meter = openTelemetryApi()?.metrics.getMeter(TRACER_NAME);
    if (meter === undefined) return undefined;
    count = meter.createCounter(`${name}.count`, { description: `Number of ${name} operations` });
    duration = meter.createHistogram(`${name}.duration`, {
      description: `Duration of ${name} operations`,
      unit: 'ms',
    });
    counters.set(name, count);
    histograms.set(name, duration);
  }
  return { count, duration };
}

/**
 * Runs `fn` inside a span named `name`, records a counter and a duration histogram with the same
 * attributes plus `splice.outcome` (`ok` or the error code), and ends the span whatever happens.
 * Telemetry never throws: with no SDK registered every call is a cheap no-op.
 *
 * @example
 * ```ts
 * await inSpan('splice.token.refresh', { 'splice.instance.id': id }, async (span) => {
 *   span.setAttribute('http.response.status_code', 200);
 * });
 * ```
 */
export async function inSpan<T>(
  name: SpliceSpanName,
  attributes: SpliceAttributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const attrs = clean(attributes);
  const started = performance.now();
  return spliceTracer().startActiveSpan(name, { attributes: attrs }, async (span) => {
    let outcome = 'ok';
    try {
      return await fn(span);
    } catch (error) {
      outcome = SpliceError.is(error) ? error.code : 'error';
      span.setStatus({ code: ERROR, message: outcome });
      span.setAttribute('splice.error.code', outcome);
      throw error;
    } finally {
      span.end();
      const metrics = instruments(name);
      if (metrics !== undefined) {
        const metricAttrs = { ...attrs, 'splice.outcome': outcome };
        metrics.count.add(1, metricAttrs);
        metrics.duration.record(performance.now() - started, metricAttrs);
      }
    }
  });
}
