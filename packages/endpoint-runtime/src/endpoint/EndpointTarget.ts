import type {
  AuthStrategy,
  Credentials,
  InstanceContext,
  JsonValue,
  TemplateValues,
} from '@splice/core';
import type { Dispatcher } from 'undici';
import type { CompiledEndpoint } from '../connector/CompiledConnector.js';
import type { InstanceState } from '../instance/InstanceState.js';
import type { CallTarget, EndpointCall } from '../pipeline/EndpointCall.js';
import type { CallInput } from '../RuntimeOptions.js';
import { type TelemetryTarget, telemetryTarget } from '../telemetry/telemetryTarget.js';
import { sameCredentials } from './sameCredentials.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function formEncode(body: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined) continue;
    params.append(
      key,
      typeof value === 'string'
        ? value
        : value === null
          ? ''
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value),
    );
  }
  return params.toString();
}

// Splits a rendered URL into undici's origin and path. With a literal host the origin is known at
// compile time and the split is a slice; otherwise (placeholder host labels) the URL is parsed.
function splitUrl(url: string, origin: string | undefined): [origin: string, path: string] {
  if (origin !== undefined && url.startsWith(origin)) {
    const next = url.charCodeAt(origin.length);
    // '/' or end of string; '?' and '#' need a leading slash.
    if (next === 47) {
      const hash = url.indexOf('#', origin.length);
      return [origin, hash === -1 ? url.slice(origin.length) : url.slice(origin.length, hash)];
    }
  }
  const parsed = new URL(url);
  return [parsed.origin, parsed.pathname + parsed.search];
}

function withQuery(url: string, query: Record<string, string>): [origin: string, path: string] {
  const parsed = new URL(url);
  // Later tabs win over the URL template's own parameters of the same name.
  for (const key in query) parsed.searchParams.set(key, query[key]!);
  return [parsed.origin, parsed.pathname + parsed.search];
}

/**
 * One endpoint of one instance: turns credentials and a call's input into the undici request,
 * merging the request parts in SPEC §5 order — auth method tabs, endpoint tabs, call input, and
 * the strategy's `apply` last so nothing overrides the credential by accident. Templates read the
 * call's variables, then the instance's saved values, then definition defaults; credential values
 * are visible to endpoint templates and `apply` only.
 *
 * A call without per-call parts (no variables, headers, query or body) reuses the request rendered
 * for the same credentials object: the hot path renders nothing and allocates no request.
 *
 * @example
 * ```ts
 * const request = state.target('list-orders').prepare(credentials, call);
 * await agent.request(request);
 * ```
 */
export class EndpointTarget implements CallTarget {
  readonly instance: InstanceState;
  readonly endpoint: CompiledEndpoint;
  readonly idempotent: boolean;
  readonly telemetry: TelemetryTarget;
  /** Definition defaults under the instance's saved values (no credentials). */
  readonly #base: Readonly<Record<string, string>>;
  #credentials: Credentials | undefined;
  #values: TemplateValues = {};
  #plain: Dispatcher.RequestOptions | undefined;

  constructor(instance: InstanceState, endpoint: CompiledEndpoint) {
    this.instance = instance;
    this.endpoint = endpoint;
    this.idempotent = endpoint.idempotent;
    const method = instance.method;
    this.#base = { ...method.defaults, ...endpoint.defaults, ...instance.record.variables };
    this.telemetry = telemetryTarget({
      connectorId: instance.connector.definition.id,
      authMethodId: method.definition.id,
      instanceId: instance.record.id,
      endpointId: endpoint.definition.id,
      method: endpoint.definition.method,
    });
  }

  get strategy(): AuthStrategy {
    return this.instance.method.strategy;
  }

  get context(): InstanceContext {
    return this.instance.context;
  }

  /** The credentials the last request was prepared with (for scrubbing errors). */
  get lastCredentials(): Credentials | undefined {
    return this.#credentials;
  }

  prepare(credentials: Credentials, call: EndpointCall): Dispatcher.RequestOptions {
    if (!sameCredentials(this.#credentials, credentials)) {
      this.#values = { ...this.#base, ...credentials.values };
      this.#plain = undefined;
    }
    this.#credentials = credentials;
    const { input, signal } = call;
    if (
      input.variables === undefined &&
      input.headers === undefined &&
      input.query === undefined &&
      input.body === undefined
    ) {
      this.#plain ??= this.#build(this.#values, credentials, input);
      return signal === undefined ? this.#plain : { ...this.#plain, signal };
    }
    const values =
      input.variables === undefined ? this.#values : { ...this.#values, ...input.variables };
    const request = this.#build(values, credentials, input);
    if (signal !== undefined) request.signal = signal;
    return request;
  }

  #build(
    values: TemplateValues,
    credentials: Credentials,
    input: CallInput,
  ): Dispatcher.RequestOptions {
    const { endpoint } = this;
    const method = this.instance.method;
    const apply = this.instance.applyFor(credentials);

    // Allocated only when some tab or the call has URL parameters.
    let query: Record<string, string> | undefined;
    const tabs = method.request.query.length + endpoint.request.query.length + apply.query.length;
    if (tabs > 0 || input.query !== undefined) {
      query = {};
      for (const [key, template] of method.request.query) query[key] = template.render(values);
      for (const [key, template] of endpoint.request.query) query[key] = template.render(values);
      if (input.query !== undefined) Object.assign(query, input.query);
      for (const [key, value] of apply.query) query[key] = value;
    }

    const url = endpoint.url.render(values);
    const [origin, path] =
      query === undefined ? splitUrl(url, endpoint.url.origin) : withQuery(url, query);

    const headers: Record<string, string> = {};
    for (const [name, template] of method.request.headers) headers[name] = template.render(values);
    for (const [name, template] of endpoint.request.headers)
      headers[name] = template.render(values);
    if (input.headers !== undefined) {
      for (const name in input.headers) headers[name.toLowerCase()] = input.headers[name]!;
    }
    for (const [name, value] of apply.headers) headers[name] = value;

    let body: string | Uint8Array | undefined;
    if (endpoint.sendsBody) body = this.#body(values, input, headers);

    const request: Dispatcher.RequestOptions = {
      origin,
      path,
      method: endpoint.definition.method,
      headers,
      headersTimeout: endpoint.timeoutMs,
      bodyTimeout: endpoint.timeoutMs,
    };
    if (body !== undefined) request.body = body;
    return request;
  }

  #body(
    values: TemplateValues,
    input: CallInput,
    headers: Record<string, string>,
  ): string | Uint8Array | undefined {
    const methodBody = this.instance.method.request.body?.(values);
    const endpointBody = this.endpoint.request.body?.(values);
    const given = input.body;
    let merged: unknown;
    if (given !== undefined && !isPlainObject(given)) merged = given;
    else if (methodBody !== undefined || endpointBody !== undefined || given !== undefined) {
      merged = { ...methodBody, ...endpointBody, ...(given as Record<string, JsonValue>) };
    }
    if (merged === undefined) return undefined;
    if (merged instanceof Uint8Array) return merged;
    const form = this.endpoint.definition.bodyFormat === 'form';
    headers['content-type'] ??= form ? 'application/x-www-form-urlencoded' : 'application/json';
    if (typeof merged === 'string') return merged;
    return form && isPlainObject(merged) ? formEncode(merged) : JSON.stringify(merged);
  }
}
