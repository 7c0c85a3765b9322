import type { AuthStrategy, DefinitionIssue } from '../strategy/AuthStrategy.js';
import { compileTemplate } from '../template/template.js';
import { joinPath } from './checkConnector.js';
import { isVariableKey } from './connectorSchema.js';
import { nearestName } from './nearestName.js';
import { CREDENTIAL_KEYS } from './types.js';

type Raw = Record<string, unknown>;
const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
// A plain copy by index: a raw definition's array may carry its own `constructor` (a species that
// `filter` or `map` would call), and it is input, not code.
function list(value: unknown): unknown[] {
  const out: unknown[] = [];
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) out.push(value[i]);
  return out;
}

function variableKeys(value: unknown): string[] {
  return list(value).flatMap((v) =>
    isRecord(v) && typeof v['key'] === 'string' ? [v['key']] : [],
  );
}

// The keys a method captures: from the callback or token response (`captured`) and from its
// post-authorization steps' answers (`postAuthorization[].captured`).
function capturedKeys(method: Raw): string[] {
  return [
    ...variableKeys(method['captured']),
    ...list(method['postAuthorization']).flatMap((step) =>
      isRecord(step) ? variableKeys(step['captured']) : [],
    ),
  ];
}

// The keys a template reads. A template that does not compile was reported by checkConnector.
function keysOf(source: string, path: string): readonly string[] {
  try {
    return compileTemplate(source, 'text', path).keys;
  } catch {
    return [];
  }
}

/** A template and where it is. */
interface Site {
  readonly path: string;
  readonly source: string;
}

function collect(sites: Site[], value: unknown, path: string): void {
  if (typeof value === 'string') sites.push({ path, source: value });
  else if (Array.isArray(value))
    for (const [i, item] of value.entries()) collect(sites, item, joinPath(path, i));
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) collect(sites, item, joinPath(path, key));
  }
}

// The templates of the request tabs of a method or an endpoint at `path`.
function requestSites(owner: Raw, path: string): Site[] {
  const sites: Site[] = [];
  const request = owner['request'];
  if (!isRecord(request)) return sites;
  for (const tab of ['query', 'headers', 'body'] as const) {
    if (isRecord(request[tab]))
      collect(sites, request[tab], joinPath(joinPath(path, 'request'), tab));
  }
  return sites;
}

/** A method whose strategy is known: its id and the keys its templates may read. */
interface MethodScope {
  readonly id: string;
  /** Connector variables and the method's variables (the strategy's defaults merged in). */
  readonly variables: ReadonlySet<string>;
  /** The credential values its strategy puts in `apply` and endpoint templates. */
  readonly credentials: ReadonlySet<string>;
}

// The credential keys of a strategy: OAuth 2's (CREDENTIAL_KEYS) and whatever the strategy's own
// default `apply` reads that is not one of its variables (`token`, `basic_credentials`).
function credentialKeysOf(strategy: AuthStrategy): Set<string> {
  const keys = new Set<string>(CREDENTIAL_KEYS);
  const sites: Site[] = [];
  collect(sites, strategy.apply, 'apply');
  for (const site of sites) for (const key of keysOf(site.source, site.path)) keys.add(key);
  return keys;
}

function report(
  issues: DefinitionIssue[],
  site: Site,
  key: string,
  scope: ReadonlySet<string>,
  where: string,
): void {
  // Declared keys are read as written, so one may break the key rule (reported where it is
  // declared): a suggestion must be a key a template can name.
  const suggestion = nearestName(key, [...scope].filter(isVariableKey));
  const hint =
    suggestion !== undefined
      ? `did you mean "{{${suggestion}}}"?`
      : `declare "${key}" as a variable (${where}) or fix the name`;
  issues.push({
    path: site.path,
    message: `uses "{{${key}}}", which is not a variable ${where}: ${hint}`,
    code: 'unknown_template_key',
  });
}

/**
 * Checks that every `{{ key }}` in a definition names a value that can exist where the template
 * is rendered (SPEC §3), so a misspelt key fails when the definition loads instead of at the
 * first call:
 *
 * - an auth method's `urls` and `request` tabs: the connector variables and the method's
 *   variables (its strategy's defaults merged in) and captured values (`captured`,
 *   `postAuthorization[].captured`);
 * - its `apply` and its post-authorization steps' `url` and tabs: the same plus the strategy's
 *   credential keys (`access_token`, `refresh_token`, `token_type`, and the keys the strategy's
 *   own `apply` reads, such as `token`);
 * - its callback values' `equals`: the connector variables and the method's variables only;
 * - an endpoint's `url` and tabs, for **each** method the endpoint is enabled for: the connector,
 *   endpoint and that method's variables plus its credential keys (a key only one method has
 *   fails the instances of the others).
 *
 * Each unknown key is one `unknown_template_key` issue with a did-you-mean from the keys in scope
 * ({@link nearestName}). Templates that involve a method whose `type` has no strategy in
 * `strategies` are skipped: that strategy's variables are unknown here.
 *
 * @example
 * ```ts
 * const issues: DefinitionIssue[] = [];
 * checkTemplateKeys(issues, JSON.parse(text), new Map([['oauth2-authorization-code', oauth2AuthorizationCode()]]));
 * // [{ path: 'endpoints[0].request.headers.Authorization',
 * //    message: 'uses "{{acces_token}}", which is not a variable ...: did you mean "{{access_token}}"?' }]
 * ```
 */
export function checkTemplateKeys(
  issues: DefinitionIssue[],
  input: Raw,
  strategies: ReadonlyMap<string, AuthStrategy>,
): void {
  const connectorKeys = variableKeys(input['variables']);
  const methods = new Map<string, MethodScope>();
  list(input['authMethods']).forEach((method, index) => {
    if (!isRecord(method) || typeof method['type'] !== 'string') return;
    const strategy = strategies.get(method['type']);
    if (strategy === undefined) return;
    const path = joinPath('authMethods', index);
    const variables = new Set([
      ...connectorKeys,
      ...strategy.variables.map((v) => v.key),
      ...variableKeys(method['variables']),
      ...capturedKeys(method),
    ]);
    const credentials = credentialKeysOf(strategy);
    if (typeof method['id'] === 'string') {
      methods.set(method['id'], { id: method['id'], variables, credentials });
    }
    const where = 'of the connector or this method';
    // A callback value's `equals` is rendered with the instance's variables only.
    const variablesOnly = new Set([
      ...connectorKeys,
      ...strategy.variables.map((v) => v.key),
      ...variableKeys(method['variables']),
    ]);
    list(method['captured']).forEach((item, itemIndex) => {
      if (!isRecord(item) || typeof item['equals'] !== 'string') return;
      const site = {
        path: joinPath(joinPath(joinPath(path, 'captured'), itemIndex), 'equals'),
        source: item['equals'],
      };
      for (const key of keysOf(site.source, site.path)) {
        if (!variablesOnly.has(key)) report(issues, site, key, variablesOnly, where);
      }
    });
    const sites = requestSites(method, path);
    if (isRecord(method['urls'])) collect(sites, method['urls'], joinPath(path, 'urls'));
    for (const site of sites) {
      for (const key of keysOf(site.source, site.path)) {
        if (!variables.has(key) && !credentials.has(key))
          report(issues, site, key, variables, where);
      }
    }
    // `apply` and post-authorization steps (sent like the method's endpoints) see credentials.
    const credentialSites: Site[] = [];
    if (isRecord(method['apply']))
      collect(credentialSites, method['apply'], joinPath(path, 'apply'));
    list(method['postAuthorization']).forEach((step, stepIndex) => {
      if (!isRecord(step)) return;
      const stepPath = joinPath(joinPath(path, 'postAuthorization'), stepIndex);
      if (typeof step['url'] === 'string')
        credentialSites.push({ path: joinPath(stepPath, 'url'), source: step['url'] });
      credentialSites.push(...requestSites(step, stepPath));
    });
    const scope = new Set([...variables, ...credentials]);
    for (const site of credentialSites) {
      for (const key of keysOf(site.source, site.path)) {
        if (!scope.has(key)) report(issues, site, key, scope, `${where}, nor a credential`);
      }
    }
  });

  list(input['endpoints']).forEach((endpoint, index) => {
    if (!isRecord(endpoint)) return;
    const path = joinPath('endpoints', index);
    const own = [...connectorKeys, ...variableKeys(endpoint['variables'])];
    const refs = list(endpoint['authMethods']).filter((r): r is string => typeof r === 'string');
    const sites = requestSites(endpoint, path);
    if (typeof endpoint['url'] === 'string')
      sites.unshift({ path: joinPath(path, 'url'), source: endpoint['url'] });
    const declared = new Set(
      list(input['authMethods']).flatMap((m) =>
        isRecord(m) && typeof m['id'] === 'string' ? [m['id']] : [],
      ),
    );
    // A method the connector has but whose strategy is unknown: its keys cannot be checked.
    if (refs.some((ref) => declared.has(ref) && !methods.has(ref))) return;
    const scopes = refs.flatMap((ref) => {
      const scope = methods.get(ref);
      return scope === undefined ? [] : [scope];
    });
    for (const site of sites) {
      for (const key of new Set(keysOf(site.source, site.path))) {
        if (scopes.length === 0) {
          const scope = new Set([...own, ...CREDENTIAL_KEYS]);
          if (!scope.has(key))
            report(issues, site, key, scope, 'of the connector or this endpoint');
          continue;
        }
        const missing = scopes.filter(
          (s) => !own.includes(key) && !s.variables.has(key) && !s.credentials.has(key),
        );
        if (missing.length === 0) continue;
        if (missing.length === scopes.length) {
          const scope = new Set([
            ...own,
            ...missing.flatMap((s) => [...s.variables, ...s.credentials]),
          ]);
          report(issues, site, key, scope, 'of the connector, this endpoint or its auth methods');
        } else {
          issues.push({
            path: site.path,
            message: `uses "{{${key}}}", which the auth method${missing.length === 1 ? '' : 's'} ${missing.map((s) => `"${s.id}"`).join(', ')} enabled here do${missing.length === 1 ? 'es' : ''} not have: declare it on the connector or the endpoint, or on every method the endpoint is enabled for`,
            code: 'unknown_template_key',
          });
        }
      }
    }
  });
}
