import type {
  AuthMethodDefinition,
  AuthStrategy,
  ConnectorDefinition,
  EndpointDefinition,
  JsonValue,
  Template,
  TemplateValues,
  VariableDefinition,
} from '@splice/core';

/**
 * A named template, e.g. a header name and its value template.
 *
 * @example
 * ```ts
 * const header: NamedTemplate = ['x-api-version', compileTemplate('2024-01', 'header')];
 * ```
 */
export type NamedTemplate = readonly [name: string, template: Template];

/**
 * A body tab compiled once: renders the string templates inside a JSON object.
 *
 * @example
 * ```ts
 * const body: BodyTemplate = (values) => ({ account: values['account'] ?? '' });
 * ```
 */
export type BodyTemplate = (values: TemplateValues) => Record<string, JsonValue>;

/**
 * A method's or endpoint's request tabs, compiled once. Header names are lower-case.
 *
 * @example
 * ```ts
 * for (const [name, template] of parts.headers) headers[name] = template.render(values);
 * ```
 */
export interface CompiledRequestParts {
  readonly query: readonly NamedTemplate[];
  readonly headers: readonly NamedTemplate[];
  /** Undefined when the body tab is empty. */
  readonly body: BodyTemplate | undefined;
}

/**
 * One auth method, with its strategy, merged variables and compiled templates.
 *
 * @example
 * ```ts
 * compileConnector(definition, strategies).methods.get('acme-oauth')?.endpoints;
 * ```
 */
export interface CompiledMethod {
  /** The method with the strategy's locked default variables merged in. */
  readonly definition: AuthMethodDefinition;
  readonly strategy: AuthStrategy;
  /** Connector variables followed by the method's auth variables. */
  readonly variables: readonly VariableDefinition[];
  readonly variableKeys: ReadonlySet<string>;
  /** Keys whose values must never be shown: secret variables and secret-looking keys. */
  readonly secretKeys: ReadonlySet<string>;
  /** Definition defaults of connector and auth variables. */
  readonly defaults: Readonly<Record<string, string>>;
  readonly request: CompiledRequestParts;
  /** The method's `apply`, else the strategy's. */
  readonly apply: {
    readonly headers: readonly NamedTemplate[];
    readonly query: readonly NamedTemplate[];
  };
  /** Endpoints enabled for this method, in definition order. */
  readonly endpoints: readonly EndpointDefinition[];
}

/**
 * One endpoint, compiled once at start-up.
 *
 * @example
 * ```ts
 * compileConnector(definition, strategies).endpoints.get('list-orders')?.url.render(values);
 * ```
 */
export interface CompiledEndpoint {
  readonly definition: EndpointDefinition;
  readonly url: Template;
  readonly request: CompiledRequestParts;
  /** Definition defaults of the endpoint's variables. */
  readonly defaults: Readonly<Record<string, string>>;
  readonly enabledFor: ReadonlySet<string>;
  /** RFC 9110 §9.2.2: safe to repeat whether or not the server saw the first attempt. */
  readonly idempotent: boolean;
  /** Whether the HTTP method carries a body (not GET, HEAD or OPTIONS). */
  readonly sendsBody: boolean;
  readonly timeoutMs: number;
}

/**
 * A connector resolved against the registered strategies, ready to serve calls.
 *
 * @example
 * ```ts
 * const compiled: CompiledConnector = compileConnector(definition, strategiesByType);
 * ```
 */
export interface CompiledConnector {
  readonly definition: ConnectorDefinition;
  readonly methods: ReadonlyMap<string, CompiledMethod>;
  readonly endpoints: ReadonlyMap<string, CompiledEndpoint>;
}
