import {
  type AuthMethodDefinition,
  type AuthStrategy,
  type CaptureOrigins,
  type ConnectorDefinition,
  capturedIssues,
  compileRequestParts,
  compileTemplate,
  compileUrlTemplate,
  type DefinitionIssue,
  type EndpointDefinition,
  endpointOrigins,
  type HttpMethod,
  methodOrigins,
  type ResolvedAuthMethod,
  type ResolvedConnector,
  redactSecretDefaults,
  resolveAuthMethod,
  SECRET_KEY_PATTERN,
  SpliceError,
  secretKeys as secretKeysOf,
  type Template,
} from '@splice/core';
import type {
  CompiledConnector,
  CompiledEndpoint,
  CompiledMethod,
  CompiledStep,
} from './CompiledConnector.js';

// RFC 9110 §9.2.2.
const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const BODYLESS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS']);
// Keys that look secret even when a definition forgot `secret: true` (a one-time code, a token).
const SECRET_LOOKING_KEY = /(?:^|_)(?:code|secret|password|token|verifier)$/i;

function strategyMissing(
  connector: ConnectorDefinition,
  method: AuthMethodDefinition,
  strategies: ReadonlyMap<string, AuthStrategy>,
): SpliceError {
  const registered = [...strategies.keys()];
  return new SpliceError(
    'STRATEGY_MISSING',
    `Connector "${connector.id}" auth method "${method.id}" has type "${method.type}", but no strategy is registered for that type (registered: ${registered.length === 0 ? 'none' : registered.join(', ')}). Pass one in createRuntime({ strategies }) or bind it under SpliceServices.Strategy in a module.`,
    {
      details: {
        connectorId: connector.id,
        authMethodId: method.id,
        type: method.type,
        registeredTypes: registered,
      },
    },
  );
}

function checkWithStrategy(
  connector: ConnectorDefinition,
  index: number,
  strategy: AuthStrategy,
  method: ResolvedAuthMethod,
): void {
  const issues: DefinitionIssue[] = [
    ...capturedIssues(strategy, method),
    ...(strategy.validateMethod?.(method) ?? []),
  ];
  if (issues.length === 0) return;
  const path = `authMethods[${index}]`;
  throw new SpliceError(
    'CONNECTOR_INVALID',
    `Connector "${connector.id}" auth method "${method.id}" is not valid for strategy "${strategy.type}": ${issues.map((i) => `${path}.${i.path}: ${i.message}`).join('; ')}`,
    {
      details: {
        connectorId: connector.id,
        issues: issues.map((i) => ({ ...i, path: `${path}.${i.path}` })),
      },
    },
  );
}

function compileMethod(
  connector: ConnectorDefinition,
  index: number,
  strategies: ReadonlyMap<string, AuthStrategy>,
): Omit<CompiledMethod, 'endpoints' | 'originKeys'> {
  const raw = connector.authMethods[index]!;
  const strategy = strategies.get(raw.type);
  if (strategy === undefined) throw strategyMissing(connector, raw, strategies);
  const definition = resolveAuthMethod(raw, strategy);
  checkWithStrategy(connector, index, strategy, definition);
  const variables = [...connector.variables, ...definition.variables];
  const secretKeys = secretKeysOf(variables);
  for (const v of variables) {
    if (SECRET_KEY_PATTERN.test(v.key) || SECRET_LOOKING_KEY.test(v.key)) secretKeys.add(v.key);
  }
  // Captured values: their secret flag (and secret-looking keys) hide them like variables.
  const steps = definition.postAuthorization ?? [];
  for (const c of [...(definition.captured ?? []), ...steps.flatMap((s) => s.captured)]) {
    if (c.secret || SECRET_KEY_PATTERN.test(c.key) || SECRET_LOOKING_KEY.test(c.key)) {
      secretKeys.add(c.key);
    }
  }
  const origins = methodOrigins(definition);
  const name = `${connector.id}: authMethods[${index}]`;
  const urls: Record<string, Template> = {};
  for (const [key, source] of Object.entries(definition.urls)) {
    urls[key] = compileUrlTemplate(source, `authMethods[${index}].urls.${key}`, { origins });
  }
  const source = definition.apply ?? strategy.apply;
  // One compiled apply: the runtime renders it on endpoint requests, the strategy (on its context)
  // on requests that check credentials.
  const apply = Object.freeze({
    headers: Object.entries(source.headers).map(
      ([key, text]) =>
        [
          key.toLowerCase(),
          compileTemplate(text, 'header', `${name}.apply.headers.${key}`),
        ] as const,
    ),
    query: Object.entries(source.query).map(
      ([key, text]) => [key, compileTemplate(text, 'query', `${name}.apply.query.${key}`)] as const,
    ),
  });
  return {
    definition,
    strategy,
    variables,
    variableKeys: new Set(variables.map((v) => v.key)),
    secretKeys,
    templates: {
      urls: Object.freeze(urls),
      request: compileRequestParts(definition.request, `${name}.request`),
      tokenRequest: compileRequestParts(
        {
          query: {},
          headers: definition.tokenRequest?.headers ?? {},
          body: definition.tokenRequest?.body ?? {},
        },
        `${name}.tokenRequest`,
      ),
      apply,
    },
    apply,
    origins,
    postAuthorization: steps.map((step, stepIndex): CompiledStep => {
      const path = `authMethods[${index}].postAuthorization[${stepIndex}]`;
      // A step is sent like an endpoint of the method: same request path, apply and pipeline.
      const endpoint: EndpointDefinition = {
        id: `${definition.id}.postAuthorization.${step.id}`,
        name: step.id,
        direction: 'receive',
        method: step.method,
        url: step.url,
        dataType: 'json',
        bodyFormat: step.bodyFormat ?? 'json',
        timeoutSeconds: definition.timeoutSeconds,
        variables: [],
        request: step.request,
        authMethods: [definition.id],
      };
      return {
        step,
        endpoint: compileEndpoint(endpoint, `${connector.id}: ${path}`, origins),
      };
    }),
  };
}

function compileEndpoint(
  definition: EndpointDefinition,
  name: string,
  origins: CaptureOrigins,
): CompiledEndpoint {
  return {
    definition,
    url: compileUrlTemplate(definition.url, `${name}.url`, { origins }),
    request: compileRequestParts(definition.request, `${name}.request`),
    enabledFor: new Set(definition.authMethods),
    idempotent: IDEMPOTENT.has(definition.method),
    sendsBody: !BODYLESS.has(definition.method),
    timeoutMs: definition.timeoutSeconds * 1000,
  };
}

/**
 * Resolves a connector against the registered strategies — each auth method's strategy defaults
 * merged in here and nowhere else — and compiles every template once: the method's URLs, tabs
 * and `apply`, each endpoint's URL and tabs. Fails at start-up, never on a call: an unknown
 * method type is `STRATEGY_MISSING`, a bad template or a method the strategy rejects is
 * `CONNECTOR_INVALID`.
 *
 * @example
 * ```ts
 * const compiled = compileConnector(definition, new Map([[s.type, s]]));
 * compiled.methods.get('acme-oauth')?.endpoints.map((e) => e.id);
 * ```
 */
export function compileConnector(
  definition: ConnectorDefinition,
  strategies: ReadonlyMap<string, AuthStrategy>,
): CompiledConnector {
  const compiled: Omit<CompiledMethod, 'endpoints' | 'originKeys'>[] = [];
  const secretKeys = new Set<string>();
  for (let i = 0; i < definition.authMethods.length; i++) {
    const method = compileMethod(definition, i, strategies);
    compiled.push(method);
    for (const key of method.secretKeys) secretKeys.add(key);
  }
  const endpoints = new Map<string, CompiledEndpoint>();
  for (let i = 0; i < definition.endpoints.length; i++) {
    const source = definition.endpoints[i]!;
    // An endpoint may begin with a captured origin every method it is enabled for allows.
    const origins = endpointOrigins(
      source.authMethods.flatMap((id) => {
        const method = compiled.find((m) => m.definition.id === id);
        return method === undefined ? [] : [method.origins];
      }),
    );
    const endpoint = compileEndpoint(source, `${definition.id}: endpoints[${i}]`, origins);
    endpoints.set(endpoint.definition.id, endpoint);
  }
  const resolved: ResolvedConnector = {
    ...definition,
    authMethods: compiled.map((m) => m.definition),
  };
  // What listings show: the same connector with every secret default redacted.
  const listed = redactSecretDefaults(resolved, secretKeys);
  const methods = new Map<string, CompiledMethod>();
  for (const method of compiled) {
    const id = method.definition.id;
    const originKeys = new Set<string>();
    for (const url of Object.values(method.templates.urls)) {
      for (const key of url.hostKeys ?? []) originKeys.add(key);
    }
    for (const endpoint of endpoints.values()) {
      if (!endpoint.enabledFor.has(id)) continue;
      for (const key of endpoint.url.hostKeys ?? []) originKeys.add(key);
    }
    methods.set(id, {
      ...method,
      originKeys,
      endpoints: listed.endpoints.filter((e) => e.authMethods.includes(id)),
    });
  }
  return { definition: resolved, listed, methods, endpoints };
}
