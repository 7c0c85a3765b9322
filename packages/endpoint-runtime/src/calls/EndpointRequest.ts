import {
  type Credentials,
  type JsonValue,
  jsonText,
  missingRequired,
  perCallKeys,
  perCallRefusal,
  resolveValues,
  SECRET_KEY_PATTERN,
  type TemplateValues,
  type VariableDefinition,
  variableMissing,
  variableNotSettable,
} from '@splice/core';
import type { Dispatcher } from 'undici';
import type { CompiledEndpoint } from '../catalog/CompiledConnector.js';
import type { CallIds } from '../pipeline/EndpointCall.js';
import type { CallInput } from '../RuntimeOptions.js';
import { type TelemetryTarget, telemetryTarget } from '../telemetry/telemetryTarget.js';
import { isPlainObject } from './checkCallInput.js';
import type { InstanceSession } from './InstanceSession.js';
import { sameCredentials } from './sameCredentials.js';

// The base values already hold every definition default.
const NO_DEFINITIONS: readonly VariableDefinition[] = [];

/** What an endpoint's requests need of its definition and auth method: the same for every instance. */
interface EndpointVariables {
  /** Endpoint, connector and auth variables, defaults first-wins. */
  readonly variables: readonly VariableDefinition[];
  /** What a call's `variables` may set (core's `perCallKeys`). */
  readonly perCall: ReadonlySet<string>;
  /** The endpoint's secret variables (flagged or secret-looking): their values are scrubbed. */
  readonly secretKeys: readonly string[];
  /** The endpoint's variables flagged `required`: a call needs a value for each. */
  readonly required: readonly VariableDefinition[];
}

// Kept once per compiled endpoint (owned by the catalog) and method, not per instance.
const sharedVariables = new WeakMap<CompiledEndpoint, Map<object, EndpointVariables>>();

function endpointVariables(
  compiled: CompiledEndpoint,
  method: InstanceSession['method'],
): EndpointVariables {
  let byMethod = sharedVariables.get(compiled);
  if (byMethod === undefined) {
    byMethod = new Map();
    sharedVariables.set(compiled, byMethod);
  }
  let shared = byMethod.get(method);
  if (shared === undefined) {
    const own = compiled.definition.variables;
    shared = {
      variables: [...own, ...method.variables],
      perCall: perCallKeys(own, method.variables, compiled.url.hostKeys),
      secretKeys: own.filter((v) => v.secret || SECRET_KEY_PATTERN.test(v.key)).map((v) => v.key),
      required: own.filter((v) => v.required),
    };
    byMethod.set(method, shared);
  }
  return shared;
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
          : typeof value === 'object' || typeof value === 'function' || typeof value === 'symbol'
            ? jsonText(value, `"input.body.${key}" of callEndpoint`)
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

/** A request rendered for one credentials object, kept together so they are replaced together. */
interface Rendered {
  readonly credentials: Credentials;
  /** Base values with the credentials over them; made by the first call with input. */
  values: TemplateValues | undefined;
  /** The request of a call without per-call parts; built on first use. */
  plain: Dispatcher.RequestOptions | undefined;
}

/**
 * One endpoint of one instance: turns credentials and a call's input into the undici request,
 * merging the request parts in SPEC §5 order — the auth method's header and body tabs (its
 * URL-parameter tab goes on the authorisation URL only, its `tokenRequest` parts on token requests
 * only), endpoint tabs, call input, and the strategy's `apply` last so nothing overrides the
 * credential by accident. Template values
 * are resolved by `resolveValues`: the call's variables, then the instance's saved values, then
 * definition defaults (the endpoint's first); captured values (the record's, then the newer ones a
 * refresh put in the credentials) and then credential values are laid over them, so no call input
 * replaces them; credential values are visible to endpoint templates and `apply` only.
 *
 * Holds nothing of any call: what it keeps is derived from the instance and the credentials (the
 * rendered request of a call without per-call parts, reused while the credentials stay the same).
 *
 * @example
 * ```ts
 * const request = session.endpoint('list-orders').prepare(credentials, {});
 * await agent.request(request);
 * ```
 */
export class EndpointRequest {
  readonly session: InstanceSession;
  readonly compiled: CompiledEndpoint;
  readonly ids: CallIds;
  readonly telemetry: TelemetryTarget;
  /** Variables, per-call keys and secret keys of the endpoint and method (shared). */
  readonly #shared: EndpointVariables;
  /** The instance's saved values over definition defaults (no credentials). */
  readonly #base: Readonly<Record<string, string>>;
  /** Values the instance captured at consent and in its post-authorization steps. */
  readonly #captured: Readonly<Record<string, string>> | undefined;
  #rendered: Rendered | undefined;

  constructor(session: InstanceSession, compiled: CompiledEndpoint) {
    this.session = session;
    this.compiled = compiled;
    const { record, method } = session;
    this.#shared = endpointVariables(compiled, method);
    // Without variables of its own the endpoint's base values are the instance context's: shared.
    this.#base =
      compiled.definition.variables.length === 0
        ? session.context.values
        : resolveValues(this.#shared.variables, record.variables);
    this.#captured = record.captured;
    this.ids = {
      connectorId: record.connectorId,
      authMethodId: record.authMethodId,
      instanceId: record.id,
      endpointId: compiled.definition.id,
    };
    this.telemetry = telemetryTarget(compiled, { ...this.ids, method: compiled.definition.method });
  }

  /**
   * Refuses, before anything is sent, a call `variables` key that a call may not set (core's
   * `perCallRefusal`: a key in the endpoint URL's host, a connector or auth variable not marked
   * `perCall`, a credential key, an undeclared key) with `VARIABLE_INVALID` naming the key and
   * `details.reason`; an undeclared key also gets the keys a call may set (`details.settable`) and
   * a did-you-mean (`details.suggestions`). Then a call without a value for one of the endpoint's
   * `required` variables (none in the call, the instance or a default; an empty string is none, as
   * core's `missingRequired` has it) is `VARIABLE_MISSING` naming every such key
   * (`details.keys`). One set lookup per key the call passes; nothing more for an endpoint without
   * required variables.
   */
  checkVariables(variables: Readonly<Record<string, string>> | undefined): void {
    if (variables !== undefined) {
      for (const key in variables) {
        if (this.#shared.perCall.has(key)) continue;
        const { definition, url } = this.compiled;
        // A key perCallKeys left out always has a reason; `unknown` only satisfies the type.
        const reason =
          perCallRefusal(key, definition.variables, this.session.method.variables, url.hostKeys) ??
          'unknown';
        throw variableNotSettable(
          key,
          reason,
          `by a call to endpoint "${this.ids.endpointId}" of connector "${this.ids.connectorId}"`,
          { ...this.ids },
          this.#shared.variables.filter((v) => this.#shared.perCall.has(v.key)),
        );
      }
    }
    const { required } = this.#shared;
    if (required.length === 0) return;
    const missing = missingRequired(
      required,
      variables === undefined ? this.#base : { ...this.#base, ...variables },
    );
    if (missing.length > 0) {
      throw variableMissing(
        missing,
        `endpoint "${this.ids.endpointId}" of connector "${this.ids.connectorId}"`,
        { ...this.ids },
      );
    }
  }

  /**
   * Values an error about a call with `input` must not show: the instance's (see
   * `InstanceSession.secrets`), the values of this endpoint's secret variables (the call's or the
   * definition's default) and the call's values of any secret variable.
   */
  secrets(input: CallInput, ...credentials: readonly (Credentials | undefined)[]): string[] {
    const out = this.session.secrets(...credentials);
    const given = input.variables;
    for (const key of this.#shared.secretKeys) {
      const value = given?.[key] ?? this.#base[key];
      if (value !== undefined) out.push(value);
    }
    if (given !== undefined) {
      for (const key of this.session.method.secretKeys) {
        const value = given[key];
        if (value !== undefined) out.push(value);
      }
    }
    return out;
  }

  /**
   * The template values of a call without per-call variables: the base values, then captured
   * values (the record's, then the credentials' newer ones), then the credentials, which no
   * variable replaces.
   */
  #valuesFor(credentials: Credentials): TemplateValues {
    return {
      ...this.#base,
      ...this.#captured,
      ...credentials.captured,
      ...credentials.values,
    };
  }

  /** The undici request of a call with `input`, sent with `credentials`. */
  prepare(credentials: Credentials, input: CallInput): Dispatcher.RequestOptions {
    let rendered = this.#rendered;
    if (rendered === undefined || !sameCredentials(rendered.credentials, credentials)) {
      rendered = { credentials, values: undefined, plain: undefined };
      this.#rendered = rendered;
    }
    const { signal } = input;
    if (
      input.variables === undefined &&
      input.headers === undefined &&
      input.query === undefined &&
      input.body === undefined
    ) {
      // The values are needed only to build the plain request once: not kept for it.
      rendered.plain ??= this.#build(this.#valuesFor(credentials), credentials, input);
      return signal === undefined ? rendered.plain : { ...rendered.plain, signal };
    }
    let values: TemplateValues;
    if (input.variables !== undefined) {
      // The call's variables over the instance's resolved values (the one precedence rule), then
      // the credentials, which no variable can replace.
      const resolved = resolveValues(NO_DEFINITIONS, input.variables, this.#base);
      Object.assign(resolved, this.#captured, credentials.captured, credentials.values);
      values = resolved;
    } else {
      values = rendered.values ??= this.#valuesFor(credentials);
    }
    const request = this.#build(values, credentials, input);
    if (signal !== undefined) request.signal = signal;
    return request;
  }

  #build(
    values: TemplateValues,
    credentials: Credentials,
    input: CallInput,
  ): Dispatcher.RequestOptions {
    const endpoint = this.compiled;
    const { method } = this.session;
    const tabs = method.templates.request;
    const apply = this.session.applyFor(credentials);

    // Allocated only when some tab or the call has URL parameters. The method's URL-parameter tab
    // is not one of them: the platform sends it on the authorisation URL only.
    let query: Record<string, string> | undefined;
    if (endpoint.request.query.length + apply.query.length > 0 || input.query !== undefined) {
      query = {};
      for (const [key, template] of endpoint.request.query) query[key] = template.render(values);
      if (input.query !== undefined) Object.assign(query, input.query);
      for (const [key, value] of apply.query) query[key] = value;
    }

    const url = endpoint.url.render(values);
    const [origin, path] =
      query === undefined ? splitUrl(url, endpoint.url.origin) : withQuery(url, query);

    const headers: Record<string, string> = {};
    for (const [name, template] of tabs.headers) headers[name] = template.render(values);
    for (const [name, template] of endpoint.request.headers)
      headers[name] = template.render(values);
    if (input.headers !== undefined) {
      for (const name in input.headers) headers[name.toLowerCase()] = input.headers[name]!;
    }
    for (const [name, value] of apply.headers) headers[name] = value;

    const request: Dispatcher.RequestOptions & { maxRedirections: 0 } = {
      origin,
      path,
      method: endpoint.definition.method,
      headers,
      headersTimeout: endpoint.timeoutMs,
      bodyTimeout: endpoint.timeoutMs,
      // Redirects are never followed (the HTTP edge would add this; set here, nothing is copied).
      maxRedirections: 0,
    };
    if (endpoint.sendsBody) {
      const body = this.#body(values, input, headers);
      if (body !== undefined) request.body = body;
    }
    return request;
  }

  #body(
    values: TemplateValues,
    input: CallInput,
    headers: Record<string, string>,
  ): string | Uint8Array | undefined {
    const methodBody = this.session.method.templates.request.body?.(values);
    const endpointBody = this.compiled.request.body?.(values);
    const given = input.body;
    let merged: unknown;
    if (given !== undefined && !isPlainObject(given)) merged = given;
    else if (methodBody !== undefined || endpointBody !== undefined || given !== undefined) {
      merged = { ...methodBody, ...endpointBody, ...(given as Record<string, JsonValue>) };
    }
    if (merged === undefined) return undefined;
    if (merged instanceof Uint8Array) return merged;
    const form = this.compiled.definition.bodyFormat === 'form';
    headers['content-type'] ??= form ? 'application/x-www-form-urlencoded' : 'application/json';
    if (typeof merged === 'string') return merged;
    return form && isPlainObject(merged)
      ? formEncode(merged)
      : jsonText(merged, '"input.body" of callEndpoint');
  }
}
