import {
  compileUrlTemplate,
  type DefinitionIssue,
  nearestName,
  type ResolvedAuthMethod,
  SpliceError,
} from '@splice/core';
import { checkValue } from './settings/checkValue.js';

const URL_NAMES = ['token', 'authorise', 'reauthenticate'];
const REQUIRED_URLS = ['token', 'authorise'];

/**
 * The strategy's checks of a method definition, reported all at once with paths relative to the
 * method: `urls.token` and `urls.authorise` present and valid (https, or http on loopback), an
 * optional valid `urls.reauthenticate`, no other URL names, and well-formed defaults for the
 * enumerated variables (`pkce`, `token_endpoint_auth_method`, `state_length`,
 * `expired_token_statuses`).
 *
 * @example
 * ```ts
 * validateOAuthMethod(method); // [{ path: 'urls.authorise', message: 'is required ...' }]
 * ```
 */
export function validateOAuthMethod(method: ResolvedAuthMethod): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  for (const name of REQUIRED_URLS) {
    if (method.urls[name] === undefined || method.urls[name].trim() === '') {
      issues.push({
        path: `urls.${name}`,
        message: `is required for oauth2-authorization-code (${name === 'token' ? 'the token URL, where codes and refresh tokens are exchanged' : 'the authorise URL, where users grant access'})`,
      });
    }
  }
  for (const [name, source] of Object.entries(method.urls)) {
    if (!URL_NAMES.includes(name)) {
      const meant = nearestName(name, URL_NAMES);
      issues.push({
        path: `urls.${name}`,
        message:
          meant === undefined
            ? `is not a URL of oauth2-authorization-code; use ${URL_NAMES.join(', ')}`
            : `is not a URL of oauth2-authorization-code: did you mean "${meant}"?`,
      });
      continue;
    }
    if (source.trim() === '') continue;
    try {
      const template = compileUrlTemplate(source, `urls.${name}`);
      // Render with harmless stand-ins to check the shape the template will always have.
      const sample = Object.fromEntries(template.keys.map((key) => [key, 'x']));
      template.render(sample);
    } catch (error) {
      const reason = SpliceError.is(error) ? error.message : 'is not a valid absolute URL';
      issues.push({ path: `urls.${name}`, message: reason });
    }
  }
  method.variables.forEach((variable, index) => {
    if (variable.default === undefined || variable.default === '') return;
    const problem = checkValue(variable.key, variable.default);
    if (problem !== undefined)
      issues.push({ path: `variables[${index}].default`, message: `"${variable.key}" ${problem}` });
  });
  return issues;
}
