import type { DefinitionIssue } from '../strategy/AuthStrategy.js';
import { checkVariableDefaults } from './checkVariableDefaults.js';
import { nearestName } from './nearestName.js';
import type { ResolvedAuthMethod } from './types.js';

/**
 * Which URLs a strategy reads from a method, for {@link checkMethodUrls}: each name with what it
 * is for (shown when it is missing).
 *
 * @example
 * ```ts
 * const urls: MethodUrls = { required: { token: 'the token URL' }, optional: { reauthenticate: 'a re-consent URL' } };
 * ```
 */
export interface MethodUrls {
  readonly required: Readonly<Record<string, string>>;
  readonly optional: Readonly<Record<string, string>>;
}

/**
 * A strategy's checks of a method's URL names and variable defaults, all at once, with paths
 * relative to the method: every required URL present and non-blank (`code: 'required'`), no URL
 * name the strategy does not read (`code: 'unknown_field'`, with a did-you-mean when one is
 * close), and each variable default through `checkValue` ({@link checkVariableDefaults}).
 * Whether each URL is a valid template is core's check when the definition is parsed.
 *
 * @param type - the method type, for messages (`token`, `oauth2-authorization-code`...).
 * @example
 * ```ts
 * checkMethodUrls(method, 'token', { required: {}, optional: { test: 'the credential check' } });
 * // [{ path: 'urls.tset', code: 'unknown_field', message: 'is not a URL of token: did you mean "test"?' }]
 * ```
 */
export function checkMethodUrls(
  method: Pick<ResolvedAuthMethod, 'urls' | 'variables'>,
  type: string,
  urls: MethodUrls,
  checkValue: (key: string, value: string) => string | undefined = () => undefined,
): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  for (const [name, purpose] of Object.entries(urls.required)) {
    if ((method.urls[name] ?? '').trim() === '') {
      issues.push({
        path: `urls.${name}`,
        message: `is required for ${type} (${purpose})`,
        code: 'required',
      });
    }
  }
  const known = [...Object.keys(urls.required), ...Object.keys(urls.optional)];
  for (const name of Object.keys(method.urls)) {
    if (known.includes(name)) continue;
    const meant = nearestName(name, known);
    issues.push({
      path: `urls.${name}`,
      message:
        known.length === 0
          ? `is not a URL of ${type}; ${type} uses no URLs`
          : meant === undefined
            ? `is not a URL of ${type}; use ${known.join(', ')}`
            : `is not a URL of ${type}: did you mean "${meant}"?`,
      code: 'unknown_field',
    });
  }
  issues.push(...checkVariableDefaults(method, checkValue));
  return issues;
}
