import type {
  AuthStrategy,
  CaptureOrigins,
  CompiledRequestParts,
  EndpointDefinition,
  MethodTemplates,
  PostAuthorizationStep,
  ResolvedAuthMethod,
  ResolvedConnector,
  Template,
  VariableDefinition,
} from '@splice/core';

/**
 * One auth method, resolved against its strategy and compiled once.
 *
 * @example
 * ```ts
 * catalog.method(catalog.connector('acme'), 'acme-oauth').endpoints.map((e) => e.id);
 * ```
 */
export interface CompiledMethod {
  /** The method with the strategy's locked default variables merged in. */
  readonly definition: ResolvedAuthMethod;
  readonly strategy: AuthStrategy;
  /** Connector variables followed by the method's auth variables. */
  readonly variables: readonly VariableDefinition[];
  readonly variableKeys: ReadonlySet<string>;
  /**
   * Keys in the host of the method's URLs or of an endpoint URL it enables: they choose where the
   * instance's requests (and credentials) go, so they are set when the instance is added and
   * never changed afterwards (not by a call, not by a renewal).
   */
  readonly originKeys: ReadonlySet<string>;
  /** Keys whose values must never be shown: secret variables and secret-looking keys. */
  readonly secretKeys: ReadonlySet<string>;
  /** The method's URL templates and tabs, handed to the strategy on its context. */
  readonly templates: MethodTemplates;
  /** The method's `apply`, else the strategy's: the same object as `templates.apply`. */
  readonly apply: MethodTemplates['apply'];
  /**
   * Endpoints enabled for this method, in definition order, as listings show them (the default of
   * a secret variable reads `[redacted]`; the compiled endpoints hold the real ones).
   */
  readonly endpoints: readonly EndpointDefinition[];
  /** Captured keys a URL of this method may begin with, and the origins each may be. */
  readonly origins: CaptureOrigins;
  /** The post-authorization steps, in order, each compiled as an endpoint of the method. */
  readonly postAuthorization: readonly CompiledStep[];
}

/**
 * A post-authorization step and the endpoint it is sent as.
 *
 * @example
 * ```ts
 * const answer = await runStep(session, compiledStep);
 * ```
 */
export interface CompiledStep {
  readonly step: PostAuthorizationStep;
  readonly endpoint: CompiledEndpoint;
}

/**
 * One endpoint, compiled once.
 *
 * @example
 * ```ts
 * catalog.connector('acme').endpoints.get('list-orders')?.url.render(values);
 * ```
 */
export interface CompiledEndpoint {
  readonly definition: EndpointDefinition;
  readonly url: Template;
  readonly request: CompiledRequestParts;
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
  /** The definition with each auth method resolved: what strategies and requests use. */
  readonly definition: ResolvedConnector;
  /**
   * What `listConnectors()` returns: {@link definition} with the default of every secret variable
   * (flagged `secret` or secret-looking, at any level) reading `[redacted]`.
   */
  readonly listed: ResolvedConnector;
  readonly methods: ReadonlyMap<string, CompiledMethod>;
  readonly endpoints: ReadonlyMap<string, CompiledEndpoint>;
}
