import { createRequire } from 'node:module';
import type { Span, SpanContext, Tracer } from '@opentelemetry/api';

type OpenTelemetryApi = typeof import('@opentelemetry/api');

// Where every copy of `@opentelemetry/api` 1.x keeps the process's registered providers, context
// manager, propagator and diagnostic logger: `Symbol.for('opentelemetry.js.api.1')` on the global
// object, set by the first `set*` call (an SDK's registration). Until then every API call is a
// no-op (https://github.com/open-telemetry/opentelemetry-js/blob/main/api/src/internal/global-utils.ts).
const API_GLOBAL = Symbol.for('opentelemetry.js.api.1');
let api: OpenTelemetryApi | undefined;

/**
 * The OpenTelemetry API once something in the process has registered with it (an SDK's tracer or
 * meter provider, a context manager, ...), else `undefined`: with nothing registered every API
 * call is a no-op, so Splice skips them and does not load the package (its ~50 ES modules are
 * ~30 ms of a cold start). Loaded synchronously on the first call that finds a registration: a
 * bundler sees the literal `require`; unbundled ES modules load it from this package's peer
 * dependency. Both share the registration, which lives on the global object.
 *
 * @example
 * ```ts
 * const meter = openTelemetryApi()?.metrics.getMeter('@splice/endpoint-runtime');
 * ```
 */
export function openTelemetryApi(): OpenTelemetryApi | undefined {
  if (api !== undefined) return api;
  if ((globalThis as Record<symbol, unknown>)[API_GLOBAL] === undefined) return undefined;
  api =
    typeof require === 'function'
      ? (require('@opentelemetry/api') as OpenTelemetryApi)
      : (createRequire(import.meta.url)('@opentelemetry/api') as OpenTelemetryApi);
  return api;
}

// The API's own answer with nothing registered: a non-recording span with the invalid context.
const INVALID_SPAN_CONTEXT: SpanContext = {
  traceId: '00000000000000000000000000000000',
  spanId: '0000000000000000',
  traceFlags: 0,
};
const NON_RECORDING_SPAN: Span = {
  spanContext: () => INVALID_SPAN_CONTEXT,
  setAttribute: () => NON_RECORDING_SPAN,
  setAttributes: () => NON_RECORDING_SPAN,
  addEvent: () => NON_RECORDING_SPAN,
  addLink: () => NON_RECORDING_SPAN,
  addLinks: () => NON_RECORDING_SPAN,
  setStatus: () => NON_RECORDING_SPAN,
  updateName: () => NON_RECORDING_SPAN,
  end: () => {},
  isRecording: () => false,
  recordException: () => {},
};

/**
 * A tracer that asks the API's tracer named `name` for each span once something is registered,
 * and otherwise hands out a non-recording span without loading the API, as the API's own no-op
 * tracer would: a tracer taken before the SDK is registered follows it, like the API's proxy.
 *
 * @example
 * ```ts
 * const tracer = lazyTracer('@splice/core');
 * tracer.startActiveSpan('splice.token.refresh', { attributes }, (span) => work(span));
 * ```
 */
export function lazyTracer(name: string): Tracer {
  let tracer: Tracer | undefined;
  const registered = (): Tracer | undefined => {
    const otel = openTelemetryApi();
    if (otel === undefined) return undefined;
    tracer ??= otel.trace.getTracer(name);
    return tracer;
  };
  return {
    startSpan(spanName, options, context) {
      return registered()?.startSpan(spanName, options, context) ?? NON_RECORDING_SPAN;
    },
    startActiveSpan(spanName: string, ...rest: unknown[]) {
      const real = registered();
      if (real !== undefined) {
        return (real.startActiveSpan as (...args: unknown[]) => unknown)(spanName, ...rest);
      }
      const fn = rest[rest.length - 1] as (span: Span) => unknown;
      return fn(NON_RECORDING_SPAN);
    },
  } as Tracer;
}
