import {
  type AuthMethodDefinition,
  type AuthStrategy,
  type ConnectorDefinition,
  compileTemplate,
  compileUrlTemplate,
  type DefinitionIssue,
  type EndpointDefinition,
  type HttpMethod,
  type JsonValue,
  mergeVariables,
  type RequestParts,
  SECRET_KEY_PATTERN,
  SpliceError,
  secretKeys as secretKeysOf,
  type TemplateValues,
  type VariableDefinition,
} from '@splice/core';
import type {
  BodyTemplate,
  CompiledConnector,
  CompiledEndpoint,
  CompiledMethod,
  CompiledRequestParts,
  NamedTemplate,
} from './CompiledConnector.js';

// RFC 9110 §9.2.2.
const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);
const BODYLESS: ReadonlySet<HttpMethod> = new Set(['GET', 'HEAD', 'OPTIONS']);
// Keys that look secret even when a definition forgot `secret: true` (a one-time code, a token).
const SECRET_LOOKING_KEY = /(?:^|_)(?:code|secret|password|token|verifier)$/i;

function defaultsOf(variables: readonly VariableDefinition[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of variables) if (v.default !== undefined) out[v.key] = v.default;
  return out;
}

function compileJson(
  value: JsonValue,
  name: string,
): JsonValue | ((v: TemplateValues) => JsonValue) {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return value;
    const template = compileTemplate(value, 'body', name);
    return (values) => template.render(values);
  }
  if (Array.isArray(value)) {
    const items = value.map((item, i) => compileJson(item, `${name}[${i}]`));
    if (items.every((item) => typeof item !== 'function')) return value;
    return (values) =>
      items.map((item) => (typeof item === 'function' ? item(values) : item)) as JsonValue;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([key, item]) => [key, compileJson(item, `${name}.${key}`)] as const,
    );
    if (entries.every(([, item]) => typeof item !== 'function')) return value;
    return (values) => {
      const out: Record<string, JsonValue> = {};
      for (const [key, item] of entries)
        out[key] = typeof item === 'function' ? item(values) : item;
      return out;
    };
  }
  return value;
}

function compileParts(parts: RequestParts, name: string): CompiledRequestParts {
  const query: NamedTemplate[] = Object.entries(parts.query).map(([key, source]) => [
    key,
    compileTemplate(source, 'query', `${name}.query.${key}`),
  ]);
  const headers: NamedTemplate[] = Object.entries(parts.headers).map(([key, source]) => [
    key.toLowerCase(),
    compileTemplate(source, 'header', `${name}.headers.${key}`),
  ]);
  let body: BodyTemplate | undefined;
  if (Object.keys(parts.body).length > 0) {
    const compiled = compileJson(parts.body, `${name}.body`);
    body =
      typeof compiled === 'function'
        ? (compiled as BodyTemplate)
        : () => compiled as Record<string, JsonValue>;
  }
  return { query, headers, body };
}

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

function compileMethod(
  connector: ConnectorDefinition,
  index: number,
  strategies: ReadonlyMap<string, AuthStrategy>,
): CompiledMethod {
  const raw = connector.authMethods[index]!;
  const strategy = strategies.get(raw.type);
  if (strategy === undefined) throw strategyMissing(connector, raw, strategies);
  // Idempotent: a method parseConnector already merged comes out the same.
  const definition: AuthMethodDefinition = {
    ...raw,
    variables: mergeVariables(strategy.variables, raw.variables),
  };
  const issues: DefinitionIssue[] = [...(strategy.validateMethod?.(definition) ?? [])];
  if (issues.length > 0) {
    const path = `authMethods[${index}]`;
    throw new SpliceError(
      'CONNECTOR_INVALID',
      `Connector "${connector.id}" auth method "${raw.id}" is not valid for strategy "${strategy.type}": ${issues.map((i) => `${path}.${i.path}: ${i.message}`).join('; ')}`,
      {
        details: {
          connectorId: connector.id,
          issues: issues.map((i) => ({ ...i, path: `${path}.${i.path}` })),
        },
      },
    );
  }
  const variables = [...connector.variables, ...definition.variables];
  const secretKeys = secretKeysOf(variables);
  for (const v of variables) {
    if (SECRET_KEY_PATTERN.test(v.key) || SECRET_LOOKING_KEY.test(v.key)) secretKeys.add(v.key);
  }
  const name = `${connector.id}: authMethods[${index}]`;
  const apply = definition.apply ?? strategy.apply;
  return {
    definition,
    strategy,
    variables,
    variableKeys: new Set(variables.map((v) => v.key)),
    secretKeys,
    defaults: { ...defaultsOf(connector.variables), ...defaultsOf(definition.variables) },
    request: compileParts(definition.request, `${name}.request`),
    apply: {
      headers: Object.entries(apply.headers).map(([key, source]) => [
        key.toLowerCase(),
        compileTemplate(source, 'header', `${name}.apply.headers.${key}`),
      ]),
      query: Object.entries(apply.query).map(([key, source]) => [
        key,
        compileTemplate(source, 'query', `${name}.apply.query.${key}`),
      ]),
    },
    endpoints: connector.endpoints.filter((e) => e.authMethods.includes(raw.id)),
  };
}

function compileEndpoint(connector: ConnectorDefinition, index: number): CompiledEndpoint {
  const definition: EndpointDefinition = connector.endpoints[index]!;
  const name = `${connector.id}: endpoints[${index}]`;
  return {
    definition,
    url: compileUrlTemplate(definition.url, `${name}.url`),
    request: compileParts(definition.request, `${name}.request`),
    defaults: defaultsOf(definition.variables),
    enabledFor: new Set(definition.authMethods),
    idempotent: IDEMPOTENT.has(definition.method),
    sendsBody: !BODYLESS.has(definition.method),
    timeoutMs: definition.timeoutSeconds * 1000,
  };
}

/**
 * Resolves a connector against the registered strategies and compiles every template once:
 * endpoint URLs and tabs, method tabs and `apply`. Fails at start-up, never on a call: an unknown
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
  const methods = new Map<string, CompiledMethod>();
  for (let i = 0; i < definition.authMethods.length; i++) {
    const method = compileMethod(definition, i, strategies);
    methods.set(method.definition.id, method);
  }
  const endpoints = new Map<string, CompiledEndpoint>();
  for (let i = 0; i < definition.endpoints.length; i++) {
    const endpoint = compileEndpoint(definition, i);
    endpoints.set(endpoint.definition.id, endpoint);
  }
  // The effective definition: each method with its strategy's locked defaults merged in, so
  // `listConnectors()` gives a settings form every variable a user may fill.
  const effective: ConnectorDefinition = {
    ...definition,
    authMethods: definition.authMethods.map((m) => methods.get(m.id)!.definition),
  };
  return { definition: effective, methods, endpoints };
}
