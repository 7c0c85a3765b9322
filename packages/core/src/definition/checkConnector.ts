import { SpliceError } from '../errors/SpliceError.js';
import type { DefinitionIssue } from '../strategy/AuthStrategy.js';
import { originPatternProblem } from '../template/originPatterns.js';
import {
  compileTemplate,
  compileUrlTemplate,
  type Template,
  type TemplateTarget,
} from '../template/template.js';
import { type CaptureOrigins, endpointOrigins, methodOrigins } from './captureOrigins.js';
import { isReservedHeader } from './isReservedHeader.js';
import { CREDENTIAL_KEYS } from './types.js';

// The checks that span fields: duplicates, references, reserved keys and templates. They read the
// raw input defensively (anything may be missing or ill-typed there; the schema reports that), so
// one pass reports every problem at once even when the shape is partly wrong.

type Raw = Record<string, unknown>;

const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): readonly unknown[] => (Array.isArray(value) ? value : []);
const credentialKeys: ReadonlySet<string> = new Set(CREDENTIAL_KEYS);
const LOOSE_PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.-]+)\s*(?:\|[^}]*)?\}\}/g;

/**
 * Joins a path and a key the way issues print them: `a[0].b`, `headers["X Y"]`.
 *
 * @example
 * ```ts
 * joinPath(joinPath('authMethods', 0), 'urls'); // 'authMethods[0].urls'
 * ```
 */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const plain = /^[A-Za-z_$][\w$-]*$/.test(key);
  if (!plain) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function add(issues: DefinitionIssue[], path: string, code: string, message: string): void {
  issues.push({ path, message, code });
}

// A variable or captured value may not take a credential's key.
function reservedKey(issues: DefinitionIssue[], keyPath: string, key: string): void {
  add(
    issues,
    keyPath,
    'reserved_key',
    `"${key}" is reserved for credentials (${CREDENTIAL_KEYS.join(', ')}): choose another key`,
  );
}

function checkVariables(
  issues: DefinitionIssue[],
  value: unknown,
  path: string,
  outer?: ReadonlyMap<string, string>,
): Map<string, string> {
  const seen = new Map<string, string>();
  list(value).forEach((variable, index) => {
    if (!isRecord(variable) || typeof variable['key'] !== 'string') return;
    const key = variable['key'];
    const keyPath = joinPath(joinPath(joinPath(path, 'variables'), index), 'key');
    if (credentialKeys.has(key)) {
      reservedKey(issues, keyPath, key);
    }
    const first = seen.get(key);
    if (first !== undefined) {
      add(issues, keyPath, 'duplicate', `duplicate variable key "${key}" (first at ${first})`);
      return;
    }
    const clash = outer?.get(key);
    if (clash !== undefined) {
      add(
        issues,
        keyPath,
        'duplicate',
        `variable key "${key}" is already a connector variable (${clash}): rename one of them`,
      );
    }
    seen.set(key, keyPath);
  });
  return seen;
}

function checkIds(
  issues: DefinitionIssue[],
  items: readonly unknown[],
  path: string,
  what: string,
): void {
  const seen = new Map<string, string>();
  items.forEach((item, index) => {
    if (!isRecord(item) || typeof item['id'] !== 'string') return;
    const id = item['id'];
    const idPath = joinPath(joinPath(path, index), 'id');
    const first = seen.get(id);
    if (first !== undefined) {
      add(issues, idPath, 'duplicate', `duplicate ${what} id "${id}" (first at ${first})`);
    } else seen.set(id, idPath);
  });
}

function compile(
  issues: DefinitionIssue[],
  source: string,
  path: string,
  target: TemplateTarget | 'url',
  credentialsAllowed: boolean,
  origins?: CaptureOrigins,
): void {
  let keys: readonly string[];
  try {
    const template: Template =
      target === 'url'
        ? compileUrlTemplate(source, path, origins === undefined ? {} : { origins })
        : compileTemplate(source, target, path);
    keys = template.keys;
  } catch (error) {
    if (!SpliceError.is(error)) throw error;
    const first = (error.details['issues'] as DefinitionIssue[] | undefined)?.[0];
    const code = error.code === 'INSECURE_URL' ? 'insecure_url' : 'invalid_template';
    add(issues, path, code, first?.message ?? error.message);
    // Still name the credentials a broken template uses: every problem at once.
    keys = [...new Set([...source.matchAll(LOOSE_PLACEHOLDER)].map((m) => m[1]!))];
  }
  if (credentialsAllowed) return;
  for (const key of keys) {
    if (credentialKeys.has(key)) {
      add(
        issues,
        path,
        'credential_in_template',
        `uses the credential "{{${key}}}", which exists only in "apply" and endpoint templates`,
      );
    }
  }
}

function checkStringMap(
  issues: DefinitionIssue[],
  value: unknown,
  path: string,
  target: TemplateTarget | 'url',
  credentialsAllowed: boolean,
  origins?: CaptureOrigins,
): void {
  if (!isRecord(value)) return;
  for (const [key, source] of Object.entries(value)) {
    if (target === 'header' && isReservedHeader(key)) {
      add(
        issues,
        joinPath(path, key),
        'reserved_header',
        `"${key}" is set by the HTTP client (Host, framing and hop-by-hop headers, Proxy-*): remove it; the endpoint URL decides the host`,
      );
    }
    if (typeof source === 'string') {
      compile(issues, source, joinPath(path, key), target, credentialsAllowed, origins);
    }
  }
}

function checkBody(
  issues: DefinitionIssue[],
  value: unknown,
  path: string,
  credentials: boolean,
): void {
  if (typeof value === 'string') compile(issues, value, path, 'body', credentials);
  else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      checkBody(issues, item, joinPath(path, index), credentials);
    }
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      checkBody(issues, item, joinPath(path, key), credentials);
    }
  }
}

function checkRequest(
  issues: DefinitionIssue[],
  value: unknown,
  path: string,
  credentials: boolean,
): void {
  if (!isRecord(value)) return;
  checkStringMap(issues, value['query'], joinPath(path, 'query'), 'query', credentials);
  checkStringMap(issues, value['headers'], joinPath(path, 'headers'), 'header', credentials);
  if (isRecord(value['body']))
    checkBody(issues, value['body'], joinPath(path, 'body'), credentials);
}

// Captured values and post-authorization steps: keys unique and free (not a credential or a
// variable key), origin patterns usable, step templates valid.
function checkCaptured(
  issues: DefinitionIssue[],
  method: Raw,
  path: string,
  taken: ReadonlyMap<string, string>,
  origins: CaptureOrigins,
): void {
  const seen = new Map<string, string>();
  const checkList = (value: unknown, listPath: string, fromStep: boolean): void => {
    list(value).forEach((item, index) => {
      if (!isRecord(item)) return;
      const itemPath = joinPath(listPath, index);
      const key = item['key'];
      if (typeof key === 'string') {
        const keyPath = joinPath(itemPath, 'key');
        const clash = seen.get(key) ?? taken.get(key);
        if (credentialKeys.has(key)) {
          reservedKey(issues, keyPath, key);
        } else if (clash !== undefined) {
          add(
            issues,
            keyPath,
            'duplicate',
            `captured key "${key}" is already used (${clash}): a captured value may not share a key with a variable or another captured value`,
          );
        }
        seen.set(key, keyPath);
      }
      // A step's item with `equals` is an unknown field (the schema says so).
      if (!fromStep && typeof item['equals'] === 'string') {
        const equalsPath = joinPath(itemPath, 'equals');
        compile(issues, item['equals'], equalsPath, 'text', false);
        if (item['from'] !== 'callback') {
          add(
            issues,
            equalsPath,
            'invalid_value',
            'is only read on the authorization callback: use it with "from: callback"',
          );
        }
      }
      list(item['origins']).forEach((pattern, patternIndex) => {
        if (typeof pattern !== 'string') return;
        const problem = originPatternProblem(pattern);
        if (problem !== undefined) {
          add(
            issues,
            joinPath(joinPath(itemPath, 'origins'), patternIndex),
            'invalid_origin',
            problem,
          );
        }
      });
    });
  };
  checkList(method['captured'], joinPath(path, 'captured'), false);
  list(method['postAuthorization']).forEach((step, index) => {
    if (!isRecord(step)) return;
    const stepPath = joinPath(joinPath(path, 'postAuthorization'), index);
    checkList(step['captured'], joinPath(stepPath, 'captured'), true);
    if (typeof step['url'] === 'string' && step['url'] !== '') {
      compile(issues, step['url'], joinPath(stepPath, 'url'), 'url', true, origins);
    }
    checkRequest(issues, step['request'], joinPath(stepPath, 'request'), true);
  });
  checkIds(
    issues,
    list(method['postAuthorization']),
    joinPath(path, 'postAuthorization'),
    'post-authorization step',
  );
}

/**
 * Checks the rules that span fields of a raw definition and adds what it finds to `issues`.
 * Returns the connector variable keys (key → path) for the strategy checks.
 *
 * @example
 * ```ts
 * const issues: DefinitionIssue[] = [];
 * checkConnector(issues, JSON.parse(text));
 * ```
 */
export function checkConnector(issues: DefinitionIssue[], input: Raw): Map<string, string> {
  const connectorKeys = checkVariables(issues, input['variables'], '');
  const methods = list(input['authMethods']);
  const endpoints = list(input['endpoints']);
  checkIds(issues, methods, 'authMethods', 'authentication method');
  checkIds(issues, endpoints, 'endpoints', 'endpoint');

  const methodIds = new Set<string>();
  const originsById = new Map<string, CaptureOrigins>();
  methods.forEach((method, index) => {
    if (!isRecord(method)) return;
    const path = joinPath('authMethods', index);
    const origins = methodOrigins(method);
    if (typeof method['id'] === 'string') {
      methodIds.add(method['id']);
      originsById.set(method['id'], origins);
    }
    const methodKeys = checkVariables(issues, method['variables'], path, connectorKeys);
    checkCaptured(issues, method, path, new Map([...connectorKeys, ...methodKeys]), origins);
    // Credential values exist only once an instance has them: the auth requests that obtain them
    // cannot use them (SPEC §3).
    checkStringMap(issues, method['urls'], joinPath(path, 'urls'), 'url', false, origins);
    checkRequest(issues, method['request'], joinPath(path, 'request'), false);
    checkRequest(issues, method['tokenRequest'], joinPath(path, 'tokenRequest'), false);
    if (isRecord(method['apply'])) {
      const apply = joinPath(path, 'apply');
      checkStringMap(
        issues,
        method['apply']['headers'],
        joinPath(apply, 'headers'),
        'header',
        true,
      );
      checkStringMap(issues, method['apply']['query'], joinPath(apply, 'query'), 'query', true);
    }
  });

  endpoints.forEach((endpoint, index) => {
    if (!isRecord(endpoint)) return;
    const path = joinPath('endpoints', index);
    checkVariables(issues, endpoint['variables'], path);
    if (typeof endpoint['url'] === 'string' && endpoint['url'] !== '') {
      // A URL may begin with a captured origin only when every method it is enabled for
      // captures that key with allowed origins.
      // (A loop, not filter/map: a crafted array's own `constructor` would break their species.)
      const enabled: CaptureOrigins[] = [];
      list(endpoint['authMethods']).forEach((ref) => {
        const found = typeof ref === 'string' ? originsById.get(ref) : undefined;
        if (found !== undefined) enabled.push(found);
      });
      const origins = endpointOrigins(enabled);
      compile(issues, endpoint['url'], joinPath(path, 'url'), 'url', true, origins);
    }
    checkRequest(issues, endpoint['request'], joinPath(path, 'request'), true);
    const seen = new Set<string>();
    list(endpoint['authMethods']).forEach((ref, refIndex) => {
      if (typeof ref !== 'string') return;
      const refPath = joinPath(joinPath(path, 'authMethods'), refIndex);
      if (seen.has(ref)) {
        add(issues, refPath, 'duplicate', `authentication method "${ref}" is listed twice`);
      } else if (!methodIds.has(ref)) {
        const known = [...methodIds].map((id) => `"${id}"`).join(', ') || 'none';
        add(
          issues,
          refPath,
          'unknown_reference',
          `enables authentication method "${ref}", which the connector does not have (it has ${known})`,
        );
      }
      seen.add(ref);
    });
  });
  return connectorKeys;
}
