import { checkVariableDefaults, type DefinitionIssue, type ResolvedAuthMethod } from '@splice/core';

/** Which URLs a strategy reads from a method: name → what it is for. */
export interface MethodUrls {
  readonly required: Readonly<Record<string, string>>;
  readonly optional: Readonly<Record<string, string>>;
}

/**
 * A strategy's checks of a method definition, all at once, with paths relative to the method:
 * required URLs present, no URL the strategy does not read, and well-formed defaults of the
 * variables `checkValue` knows. Whether each URL is a valid template (https, or http on loopback)
 * is core's check, which every definition passes when it is parsed and compiled.
 *
 * @example
 * ```ts
 * validateMethodUrls(method, 'token', { required: {}, optional: { test: 'the credential check' } });
 * ```
 */
export function validateMethodUrls(
  method: ResolvedAuthMethod,
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
    if (!known.includes(name)) {
      issues.push({
        path: `urls.${name}`,
        message: `is not a URL of ${type}; ${known.length === 0 ? `${type} uses no URLs` : `use ${known.join(', ')}`}`,
        code: 'unknown_field',
      });
    }
  }
  issues.push(...checkVariableDefaults(method, checkValue));
  return issues;
}
